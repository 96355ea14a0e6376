/** Exact's OData `$filter` grammar, shared by the profile's filter check and the Exact stand-in. */
export * from './filterGrammar';
export * from './filterProblem';
