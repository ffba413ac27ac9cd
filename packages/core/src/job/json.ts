/** A JSON value as it round-trips through `JSON.stringify`/`JSON.parse`. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON object: the shape of a job's state. */
export type JsonObject = { [key: string]: JsonValue };
