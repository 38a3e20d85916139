/**
 * PostHog in the page: `posthog-js` capturing one event per series (it has no metrics API), its
 * request queue flushing at the shortest interval it allows (250 ms); it has no public flush, so
 * the driver waits for the events to arrive.
 */
import posthog from 'posthog-js';
import { SERIES, attributesOf } from './series.mjs';

posthog.init('phc_bench', {
  api_host: `${location.origin}/posthog`,
  autocapture: false,
  capture_pageview: false,
  capture_pageleave: false,
  disable_session_recording: true,
  disable_surveys: true,
  advanced_disable_flags: true,
  disable_external_dependency_loading: true,
  disable_compression: true,
  persistence: 'memory',
  // Headless Chromium's user agent reads as a bot, and PostHog would drop every event.
  opt_out_useragent_filter: true,
  request_queue_config: { flush_interval_ms: 250 },
  // Its client-side limit (10 events a second, bursts of 100) would drop most of the 1,000.
  rate_limiting: { events_per_second: 100_000, events_burst_limit: 100_000 },
});

window.benchRun = async () => {
  for (let i = 0; i < SERIES; i++) posthog.capture('bench.requests', attributesOf(i));
};
