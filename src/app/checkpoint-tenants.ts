/** The scheduled checkpoint function's tenant list (comma-separated ids): set by the stack, read by the function. */
export const CHECKPOINT_TENANTS_ENV = 'KAKUNIN_CHECKPOINT_TENANTS';
