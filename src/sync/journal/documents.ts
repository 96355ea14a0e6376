import type { DocumentStore } from '../ports';
import { emptyState, paths, parseDocument, profileStateSchema, reviewDocumentSchema } from './records';
import type { ProfileState, ReviewDocument } from './records';

/** A profile's own documents in the run-log library: its state (cursor, written values) and review list. */

export async function readState(documents: DocumentStore, profileId: string): Promise<ProfileState> {
  const path = paths.state(profileId);
  return parseDocument(path, await documents.read(path), profileStateSchema) ?? emptyState();
}

export async function readReview(documents: DocumentStore, profileId: string): Promise<ReviewDocument> {
  const path = paths.review(profileId);
  return parseDocument(path, await documents.read(path), reviewDocumentSchema) ?? { items: [] };
}

/** State and review list of a profile, in one request. */
export async function readStateAndReview(documents: DocumentStore, profileId: string): Promise<{ state: ProfileState; review: ReviewDocument }> {
  const [state, review] = await documents.readMany([paths.state(profileId), paths.review(profileId)]);
  return {
    state: parseDocument(paths.state(profileId), state, profileStateSchema) ?? emptyState(),
    review: parseDocument(paths.review(profileId), review, reviewDocumentSchema) ?? { items: [] },
  };
}
