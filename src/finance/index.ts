export * from './types';
export * from './days';
export * from './money';
export * from './financialYear';
export * from './customerFinance';
export * from './accountDraft';
export * from './divisions';
export * from './acrossDivisions';
