import { createRecorders, type Recorders } from './create-recorders';

let defaultRecorders: Recorders | undefined;

/**
 * The recorders with no prefix: what `recordApiCall`, `trackTask`, … call. Made on first use, and
 * each export is a plain function, so a bundle that uses none of them drops them all (a module-level
 * `createRecorders()` and reads of its properties would be kept as possible side effects).
 */
function defaults(): Recorders {
  return (defaultRecorders ??= createRecorders());
}

/**
 * Records a finished call to another service: `api.call.duration` (ms) and `api.call.count` with
 * `service`, `endpoint`, `method`, `status_code`, `success`; `api.failures` with `error_type` when
 * it failed; `api.rate_limited` when the status was 429.
 *
 * @example
 * recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'POST', statusCode: 200, durationMs: 84 });
 */
export const recordApiCall: Recorders['recordApiCall'] = (info) => defaults().recordApiCall(info);

/**
 * Runs `fn` (sync or async) as a call to another service: in an `http.client` span named
 * `<METHOD> <endpoint>`, recorded like `recordApiCall` when it settles. The status code comes from
 * `scope.set({ statusCode })`, else from the result's or the thrown error's `status`/`statusCode`;
 * a thrown error counts as a failure with its `name` as `error_type` and is rethrown unchanged.
 *
 * @example
 * const response = await trackApiCall({ service: 'github', endpoint: '/repos/:owner/:repo', method: 'GET' }, () => fetch(url));
 */
export const trackApiCall: Recorders['trackApiCall'] = (info, fn) => defaults().trackApiCall(info, fn);

/**
 * Records a finished database operation: `db.operation.duration` (ms) and `db.operation.count`
 * with `operation`, `table`, `success`; `db.failures` with `error_type` when it failed;
 * `db.retries` summing `retryCount`.
 *
 * @example
 * recordDatabaseOperation({ operation: 'select', table: 'users', durationMs: 4.2, retryCount: 1 });
 */
export const recordDatabaseOperation: Recorders['recordDatabaseOperation'] = (info) => defaults().recordDatabaseOperation(info);

/**
 * Runs `fn` (sync or async) as a database operation: in a `db` span named `<operation> <table>`,
 * recorded like `recordDatabaseOperation` when it settles. Report retries with
 * `scope.set({ retryCount })`; a thrown error counts as a failure and is rethrown unchanged.
 *
 * @example
 * const rows = await trackDatabaseOperation({ operation: 'select', table: 'orders' }, () => pool.query(sql));
 */
export const trackDatabaseOperation: Recorders['trackDatabaseOperation'] = (info, fn) => defaults().trackDatabaseOperation(info, fn);

/**
 * Records a finished cache operation: `cache.operation.duration` (ms) and `cache.operation.count`
 * with `cache`, `operation`, `success`; `cache.failures` with `error_type` when it failed;
 * `cache.hits` or `cache.misses`; and the `cache.size` gauge (attribute `cache`) when `size` is given.
 *
 * @example
 * recordCacheOperation({ cache: 'sessions', operation: 'get', hit: true, durationMs: 0.4, size: 1_204 });
 */
export const recordCacheOperation: Recorders['recordCacheOperation'] = (info) => defaults().recordCacheOperation(info);

/**
 * Runs `fn` (sync or async) as a cache operation: in a span whose op is Sentry's (`cache.get`,
 * `cache.put`, `cache.remove`, `cache.flush`), recorded like `recordCacheOperation` when it settles.
 * For a `get` that does not say `hit`/`miss` through `scope.set`, a result of `undefined` or `null`
 * is a miss and anything else a hit. A thrown error counts as a failure and is rethrown unchanged.
 *
 * @example
 * const session = await trackCacheOperation({ cache: 'sessions', operation: 'get' }, () => redis.get(key));
 */
export const trackCacheOperation: Recorders['trackCacheOperation'] = (info, fn) => defaults().trackCacheOperation(info, fn);

/**
 * Records a finished background task run: `task.run.duration` (ms) and `task.run.count` with
 * `task`, `task_type`, `success`; `task.failures` with `error_type` when it failed.
 *
 * @example
 * recordTask({ task: 'send-digest', taskType: 'cron', durationMs: 950, success: true });
 */
export const recordTask: Recorders['recordTask'] = (info) => defaults().recordTask(info);

/**
 * Runs `fn` (sync or async) as a background task: in a `task` span named after the task, recorded
 * like `recordTask` when it settles. A thrown error counts as a failure and is rethrown unchanged.
 *
 * @example
 * await trackTask({ task: 'send-digest', taskType: 'cron' }, () => sendDigests());
 */
export const trackTask: Recorders['trackTask'] = (info, fn) => defaults().trackTask(info, fn);

/**
 * Records a handled command: `command.run.duration` (ms) and `command.run.count` with `command`,
 * `command_type`, `success`; `command.failures` with `error_type` when it failed.
 *
 * @example
 * recordCommand({ command: 'ban', commandType: 'slash', durationMs: 31, success: false, errorType: 'MissingPermissions' });
 */
export const recordCommand: Recorders['recordCommand'] = (info) => defaults().recordCommand(info);

/**
 * Runs `fn` (sync or async) as a command handler: in a `command` span named after the command,
 * recorded like `recordCommand` when it settles. A thrown error counts as a failure and is rethrown unchanged.
 *
 * @example
 * await trackCommand({ command: 'ban', commandType: 'slash' }, () => handleBan(interaction));
 */
export const trackCommand: Recorders['trackCommand'] = (info, fn) => defaults().trackCommand(info, fn);

/**
 * Records a load, unload or reload of a named module or plugin: `module.operation.duration` (ms)
 * and `module.operation.count` with `module`, `operation`, `success`; `module.failures` with
 * `error_type` when it failed.
 *
 * @example
 * recordModuleOperation({ module: 'moderation', operation: 'reload', durationMs: 42, success: false, errorType: 'SyntaxError' });
 */
export const recordModuleOperation: Recorders['recordModuleOperation'] = (info) => defaults().recordModuleOperation(info);

/**
 * Runs `fn` (sync or async) as a module load, unload or reload: in a `module.<operation>` span
 * named `<operation> <module>`, recorded like `recordModuleOperation` when it settles. A thrown
 * error counts as a failure with its `name` as `error_type` and is rethrown unchanged.
 *
 * @example
 * await trackModuleOperation({ module: 'moderation', operation: 'load' }, () => bot.loadExtension('moderation'));
 */
export const trackModuleOperation: Recorders['trackModuleOperation'] = (info, fn) => defaults().trackModuleOperation(info, fn);
