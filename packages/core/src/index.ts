export * from './errors.js';
export {
  type CreateTableOptions,
  createTable,
  TTL_ATTRIBUTE,
  tableDefinition,
} from './store/table-definition.js';
