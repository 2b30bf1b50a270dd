"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DIAGNOSTIC_SOURCE = void 0;
/** The `source` of every diagnostic KMS Studio publishes. */
exports.DIAGNOSTIC_SOURCE = 'kms-studio';
//# sourceMappingURL=protocol.js.map