/**
 * What each operation recorder is given: one shape per row of the operations table
 * (`operations.ts`). Every shape has `durationMs` (leave it out when a tracked call measures it),
 * `success` (default: true unless `errorType` is given) and `errorType`.
 */

/** Fields every operation shares. */
export interface OperationOutcomeInfo {
  durationMs?: number;
  /** Default: true unless `errorType` is given. */
  success?: boolean;
  /** Low-cardinality failure kind (`TimeoutError`), never a message. */
  errorType?: string;
}

/** One call to another service. */
export interface ApiCallInfo extends OperationOutcomeInfo {
  /** The service called: `stripe`, `users-api`. */
  service: string;
  /**
   * The route template (`/v1/charges/:id`), never the raw URL: every distinct value is a new
   * series in every backend, so ids and query strings must not reach it.
   */
  endpoint: string;
  /** `GET`, `POST`, …; upper-cased. */
  method?: string;
  statusCode?: number;
  /** Default: no `errorType` and `statusCode` below 400 (or no status code). */
  success?: boolean;
  /** Default on failure: `http_<statusCode>`, or `unknown`. */
  errorType?: string;
}

/** One database operation. */
export interface DatabaseOperationInfo extends OperationOutcomeInfo {
  /** `select`, `insert`, `upsert`, … (not the SQL text). */
  operation: string;
  /** The table or collection. */
  table?: string;
  /** Retries before the final attempt; added to `db.retries` when above 0. */
  retryCount?: number;
}

/** One cache operation. Give `hit` or `miss` for lookups; leave both out for writes. */
export interface CacheOperationInfo extends OperationOutcomeInfo {
  /** The cache's name: `sessions`, `redis-pages`. */
  cache: string;
  /** `get`, `set`, `delete`, … */
  operation: string;
  /** The lookup found the key (`hit: false` counts as a miss). */
  hit?: boolean;
  /** The lookup did not find the key. */
  miss?: boolean;
  /** The cache's size after the operation (entries, or bytes: one measure per cache), as the `cache.size` gauge. */
  size?: number;
}

/** One run of a background task (a job, a scheduled sweep, a queue consumer). */
export interface TaskInfo extends OperationOutcomeInfo {
  /** The task's name: `send-digest`, `reindex`. */
  task: string;
  /** Its kind: `cron`, `queue`, `startup`. */
  taskType?: string;
}

/** One command handled (a chat bot's slash command, a CLI subcommand, an RPC verb). */
export interface CommandInfo extends OperationOutcomeInfo {
  /** The command's name, without its arguments: `ban`, `deploy`. */
  command: string;
  /** Its kind: `slash`, `prefix`, `button`. */
  commandType?: string;
}

/** One load, unload or reload of a named module or plugin at run time (a bot's cog, an app's extension). */
export interface ModuleOperationInfo extends OperationOutcomeInfo {
  /** The module's name: `moderation`, `billing-plugin`. */
  module: string;
  /** `load`, `unload` or `reload` (any other word is kept as given). */
  operation: string;
}

/** What a tracked call needs up front: the same fields less the duration, which it measures. */
export type TrackedApiCallInfo = Omit<ApiCallInfo, 'durationMs'>;
/** What `trackDatabaseOperation` needs up front; set `retryCount` through the scope as retries happen. */
export type TrackedDatabaseOperationInfo = Omit<DatabaseOperationInfo, 'durationMs'>;
/** What `trackCacheOperation` needs up front; `hit`/`miss`/`size` can be set through the scope. */
export type TrackedCacheOperationInfo = Omit<CacheOperationInfo, 'durationMs'>;
/** What `trackTask` needs up front. */
export type TrackedTaskInfo = Omit<TaskInfo, 'durationMs'>;
/** What `trackCommand` needs up front. */
export type TrackedCommandInfo = Omit<CommandInfo, 'durationMs'>;
/** What `trackModuleOperation` needs up front. */
export type TrackedModuleOperationInfo = Omit<ModuleOperationInfo, 'durationMs'>;
