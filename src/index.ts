// The SPFx TypeScript task needs a file at the root of src/.
export {};
