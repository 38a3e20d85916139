import { debugLogger } from '../core/internal/debug-logger';
import { isTracingSuppressed } from '../core/trace/suppress-tracing';
import { planBrowserRequest } from './outgoing-headers';
import { startHttpClientRequest } from '../core/trace/http-client-request';
import type { FrontClient } from './front-client';
import { resolveUrl, sentryInjectsHeaders } from './propagation-decision';

interface RequestInfoOnXhr {
  method: string;
  raw: string;
  headers: Record<string, string>;
}

const XHR_INFO = Symbol('isometer.xhr');
type TrackedXhr = XMLHttpRequest & { [XHR_INFO]?: RequestInfoOnXhr };

/**
 * Wraps `XMLHttpRequest`: `open` notes the method and URL, `setRequestHeader` what the caller set,
 * and `send` starts the `http.client` span and the `http.client.request.duration` timing, and adds
 * the trace headers for propagation targets. Returns the undo function.
 */
export function instrumentXhr(front: FrontClient): () => void {
  if (typeof XMLHttpRequest === 'undefined') return () => undefined;
  const proto = XMLHttpRequest.prototype;
  const { open, send, setRequestHeader } = proto;

  proto.open = function (this: TrackedXhr, method: string, url: string | URL, ...rest: unknown[]) {
    this[XHR_INFO] = { method: String(method).toUpperCase(), raw: String(url), headers: {} };
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;

  proto.setRequestHeader = function (this: TrackedXhr, name: string, value: string) {
    const info = this[XHR_INFO];
    if (info) info.headers[String(name).toLowerCase()] = String(value);
    return setRequestHeader.call(this, name, value);
  };

  proto.send = function (this: TrackedXhr, body?: Document | XMLHttpRequestBodyInit | null) {
    try {
      const info = this[XHR_INFO];
      const url = info && !isTracingSuppressed() && !sentryInjectsHeaders() ? resolveUrl(info.raw) : undefined;
      if (info && url) {
        const plan = planBrowserRequest(info.method, url, info.raw, (name) => info.headers[name]);
        for (const name in plan?.headers) {
          // XHR appends to a header already set (joined with ", "): only the added members go.
          const value = name === 'baggage' && info.headers.baggage !== undefined ? plan.baggageAdded : plan.headers[name];
          if (value !== undefined) setRequestHeader.call(this, name, value);
        }
        if (plan) {
          const timing = startHttpClientRequest(info.method, url, plan.span);
          // `status` 0 at loadend: a network error, an abort or a timeout, never an answer.
          this.addEventListener('loadend', () => front.endRequest(timing, this.status), { once: true });
        }
      }
    } catch (error) {
      debugLogger.internalError('XMLHttpRequest instrumentation', error);
    }
    return send.call(this, body);
  };

  return () => {
    proto.open = open;
    proto.send = send;
    proto.setRequestHeader = setRequestHeader;
  };
}
