/** Error codes of the contracts package. */
export const ContractErrorCodes = {
  topicName: 'CONTRACTS_ERR_TOPIC_NAME',
} as const;
export type ContractErrorCode = (typeof ContractErrorCodes)[keyof typeof ContractErrorCodes];

/** A programming error at a boundary of the contracts (a topic that cannot exist); retrying never helps. */
export class ContractError extends Error {
  readonly code: ContractErrorCode;
  readonly canRetry = false;

  constructor(code: ContractErrorCode, message: string) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
  }
}
