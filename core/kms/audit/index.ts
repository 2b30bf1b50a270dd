/** The KMS audit log (CloudTrail-shaped JSON Lines), request counters and the cost estimate. */
export * from './auditEvent';
export { auditEventJson, isAuditEventJson } from './auditEventJson';
export * from './auditLog';
export * from './pricing';
export * from './requestCounters';
export { redactFields } from './redact';
