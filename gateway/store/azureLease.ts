/**
 * The cross-instance lock ("one token refresh at a time") as a blob lease: one empty blob per
 * lock name, leased by whoever holds the lock. Azure guarantees a single lease holder per blob,
 * so two Function instances can never both hold it.
 *
 * The store interface lets a lock lapse at `expiresAt` by the store's clock (tests move a
 * TestClock; a crashed holder must not block refreshes for ever). Blob leases lapse in real time
 * and only in 15–60 s steps, so the holder also writes `owner` + `expiresat` into the blob's
 * metadata while holding the lease, and a contender that finds the lock lapsed by the clock
 * breaks the lease — conditional on the ETag it read, so it never breaks a lease whose holder
 * has recorded itself since (that write changes the ETag). A holder counts as holding only once
 * that write, made with its lease id, succeeded: if a contender broke the lease just before,
 * the write fails and the contender wins instead. So at most one caller ever gets a Lease.
 */
import { createHash } from 'node:crypto';
import { BlobLeaseClient, type BlockBlobClient, type ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../../src/sync/clock';
import { encodeKey } from './azureKeys';
import type { Lease } from './types';

/** Azure wants lease ids as GUIDs; one owner always maps to the same id, so re-acquiring extends. */
export function leaseIdFor(owner: string): string {
  const hex = createHash('sha256').update(owner, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Blob lease length: the TTL when Azure accepts it (15–60 s), otherwise infinite (metadata rules). */
export function blobLeaseSeconds(ttlMs: number): number {
  const seconds = Math.ceil(ttlMs / 1000);
  return seconds >= 15 && seconds <= 60 ? seconds : -1;
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

export function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : '';
  }
  return '';
}

export class BlobLeaseLocks {
  private readonly created = new Set<string>();
  private containerReady: Promise<void> | undefined;

  public constructor(
    private readonly container: ContainerClient,
    private readonly clock: Clock,
  ) {}

  public async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    const blob = await this.lockBlob(name);
    const leaseId = leaseIdFor(owner);
    const properties = await blob.getProperties().catch((error: unknown) => {
      throw new Error(`Azure store: could not read lock "${name}": ${statusOf(error) ?? ''} ${codeOf(error)}`.trim());
    });
    if (properties.leaseState === 'leased' && decodeURIComponent(properties.metadata?.owner ?? '') !== owner) {
      const expiresAt = Number(properties.metadata?.expiresat ?? Number.NaN);
      // A leased blob without a readable expiry: its holder crashed between acquiring and
      // recording itself (or is doing so right now, and then loses — see the class comment).
      if (Number.isFinite(expiresAt) && expiresAt > this.clock.now()) {
        return undefined;
      }
      try {
        await new BlobLeaseClient(blob).breakLease(0, { conditions: { ifMatch: properties.etag } });
      } catch (error) {
        if (statusOf(error) === 412) {
          return undefined;
        }
        // 409 LeaseNotPresent: it lapsed in real time meanwhile, which frees it just the same.
        if (statusOf(error) !== 409) {
          throw new Error(`Azure store: could not break lapsed lock "${name}": ${statusOf(error) ?? ''} ${codeOf(error)}`.trim());
        }
      }
    }
    try {
      await new BlobLeaseClient(blob, leaseId).acquireLease(blobLeaseSeconds(ttlMs));
    } catch (error) {
      if (statusOf(error) === 409) {
        return undefined;
      }
      throw new Error(`Azure store: could not acquire lock "${name}": ${statusOf(error) ?? ''} ${codeOf(error)}`.trim());
    }
    const expiresAt = this.clock.now() + ttlMs;
    try {
      await blob.setMetadata({ owner: encodeURIComponent(owner), expiresat: String(expiresAt) }, { conditions: { leaseId } });
    } catch (error) {
      // A contender broke the lease between our acquire and this write (it saw the previous
      // holder's lapsed record); it holds the lock now, not us.
      if (statusOf(error) === 412 || statusOf(error) === 409) {
        return undefined;
      }
      throw new Error(`Azure store: could not record holder of lock "${name}": ${statusOf(error) ?? ''} ${codeOf(error)}`.trim());
    }
    return { name, owner, expiresAt };
  }

  public async release(lease: Lease): Promise<void> {
    const blob = this.container.getBlockBlobClient(encodeKey(lease.name));
    try {
      await new BlobLeaseClient(blob, leaseIdFor(lease.owner)).releaseLease();
    } catch (error) {
      // Not ours any more (lapsed and taken by someone else, or already free): nothing to release.
      if (statusOf(error) === 409 || statusOf(error) === 412 || statusOf(error) === 404) {
        return;
      }
      throw new Error(`Azure store: could not release lock "${lease.name}": ${statusOf(error) ?? ''} ${codeOf(error)}`.trim());
    }
  }

  private async lockBlob(name: string): Promise<BlockBlobClient> {
    const blobName = encodeKey(name);
    const blob = this.container.getBlockBlobClient(blobName);
    if (this.created.has(blobName)) {
      return blob;
    }
    this.containerReady ??= this.container.createIfNotExists().then(() => undefined);
    await this.containerReady;
    try {
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      // 409 BlobAlreadyExists, or 412 when it exists and is leased: either way it is there.
      if (statusOf(error) !== 409 && statusOf(error) !== 412) {
        throw new Error(`Azure store: could not create lock blob for "${name}": ${statusOf(error) ?? ''} ${codeOf(error)}`.trim());
      }
    }
    this.created.add(blobName);
    return blob;
  }
}
