// The dev stage: a preview server on top of the whole pipeline (it may depend on every stage).
export { DEFAULT_DEV_PORT, startDevServer, type DevServer, type DevServerOptions } from './server.js';
export { faultsOf, failedChecks, type Fault, type FaultRect } from './faults.js';
