/** The AWS KMS JSON protocol endpoint and SigV4 verification (see server.ts). */
export { DEFAULT_HOST, DEFAULT_PORT, startKmsEndpoint, type EndpointRequestEvent, type KmsEndpoint, type KmsEndpointOptions } from './server';
export { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, defaultIdentity } from './endpointCallers';
export { cachedClockOffsets, identitiesFromFile } from './storeFileCache';
export { isLoopbackHost } from './loopback';
export { MAX_BODY_BYTES } from './requestBody';
export { JSON_CONTENT_TYPE, TARGET_PREFIX } from './protocol';
export { MAX_SKEW_MS, verifySigV4, type SignedRequest, type VerifiedSignature, type VerifyOptions } from './sigv4';
