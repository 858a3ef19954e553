// How the browser tests, the benchmarks and perf/perf.mjs start Chromium: headless, with
// nothing of its own on the network, and WebGL (sigma) on SwiftShader's software
// renderer, so that every script measures and tests the same browser.

/** Debian's Chromium, unless EVENTGRAPH_CHROMIUM names another. */
export const chromiumPath = process.env.EVENTGRAPH_CHROMIUM || "/usr/bin/chromium";

/** The flags that put WebGL on SwiftShader rather than the machine's GPU. */
export const softwareGLFlags = ["--disable-gpu", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"];

export const chromiumFlags = [
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  ...softwareGLFlags,
];
