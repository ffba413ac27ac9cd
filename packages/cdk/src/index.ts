export {
  ALARM_PERIOD,
  type BatonAlarmOptions,
  BatonAlarms,
  type BatonAlarmsOptions,
  type BatonAlarmsProps,
  batonAlarm,
} from './baton-alarms.js';
export { BatonDashboard, type BatonDashboardProps } from './baton-dashboard.js';
export {
  ASYNC_RETRY_ATTEMPTS,
  type BatonActionProps,
  BatonFunction,
  type BatonFunctionProps,
  DEFAULT_MAX_EVENT_AGE,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT,
} from './baton-function.js';
export {
  BatonHandler,
  type DeployAndWaitParams,
  type DeployAndWaitUserParameters,
  type EntryHandlerOptions,
  HandlerSource,
  ReadyMadeHandler,
  type ReadyMadeHandlerOptions,
  type WaitForHttpParams,
  type WaitForHttpUserParameters,
} from './baton-handler.js';
export {
  BatonMetric,
  type BatonMetricSource,
  batonMetric,
  DEFAULT_METRICS_NAMESPACE,
  isTimeMetric,
} from './baton-metrics.js';
export {
  BATON_STORE_ACTIONS,
  JOB_RESULT_ACTIONS,
  jobResultStatement,
  SWEEP_INDEX_ACTIONS,
  SWEEP_TABLE_ACTIONS,
  storeStatement,
  sweepStatements,
} from './baton-permissions.js';
export {
  BatonSweep,
  type BatonSweepProps,
  DEFAULT_SWEEP_INTERVAL,
  SweepMetric,
} from './baton-sweep.js';
export {
  BATON_RUN_LIST_INDEX,
  BATON_TTL_ATTRIBUTE,
  BatonTable,
  type BatonTableProps,
} from './baton-table.js';
export { readyMadeTemplate } from './cloudformation-template.js';
export { BatonConstructError, UserParametersError } from './errors.js';
export { validateUserParameters } from './validate-user-parameters.js';
