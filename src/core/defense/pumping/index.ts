// Public surface of the pumping detector: the detector, its rule adapter, its configuration and
// the shapes it reports. Everything else in this folder is internal.
export { PumpingDetector } from './detector.ts';
export { pumpingRule, PUMPING_RULE_ORDER, type PumpingRule } from './rule.ts';
export { defaultPumpingConfig, resolvePumpingConfig, type PumpingConfig, type PumpingConfigOverride } from './config.ts';
export type { Suspension } from './reasons.ts';
export type { SuspensionScope } from './ladder.ts';
export type { PumpingStats, CountryStats } from './report.ts';
