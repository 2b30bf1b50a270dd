export { findAction, allActions, grantOperationNames, type KmsAction, type AccessLevel } from './actions';
export {
  findConditionKey,
  actionSupportsConditionKey,
  allConditionKeys,
  type ConditionKeyInfo,
  type ConditionKeyType,
} from './conditionKeys';
export {
  findOperator,
  parseOperator,
  allOperators,
  type ConditionOperatorInfo,
  type OperatorType,
  type ParsedOperator,
  type SetOperator,
} from './operators';
export { findKeySpec, allKeySpecs, keyUsages, keyOrigins, multiRegionKeyTypes, catalogSource, type KeySpecInfo } from './keySpecs';
