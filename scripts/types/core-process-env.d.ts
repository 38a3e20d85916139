/**
 * The one Node global the runtime-neutral core may name (src/core/tsconfig.json includes this
 * file; the root tsconfig has Node's own types): `process.env.NODE_ENV`, written out at each
 * warning so bundlers fold it and leave a production build without the warning's text (see
 * `debugLogger.warnOnce`).
 */
declare var process: { env: { NODE_ENV?: string } };
