import { z } from 'zod';
import type { DocumentStore } from '../sync/ports';
import type { SPFI } from './pnp';
import { CRM_LISTS } from './schema';
import { isNotFound } from './spErrors';

/**
 * `DocumentStore` on the "Run Logs" document library: paths are relative to the library root
 * (`<runId>/log.json`); folders are created on first write.
 */

/** Characters SharePoint refuses in file and folder names. */
const ILLEGAL = /["*:<>?\\|#%]/;

export function splitDocumentPath(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) {
    throw new Error(`Document path "${path}" is empty`);
  }
  for (const segment of segments) {
    if (segment === '.' || segment === '..' || ILLEGAL.test(segment) || segment.startsWith(' ') || segment.endsWith('.')) {
      throw new Error(`Document path "${path}": "${segment}" is not an allowed file or folder name`);
    }
  }
  return segments;
}

const rootFolderSchema = z.object({ ServerRelativeUrl: z.string() }).passthrough();
const fileNamesSchema = z.array(z.object({ Name: z.string() }).passthrough());

/** Documents as parts of someone else's `$batch` (the run store's), so a run's bookkeeping is one request. */
export interface SharePointDocumentStore extends DocumentStore {
  writeMany(documents: { path: string; content: string }[]): Promise<void>;
  readMany(paths: string[]): Promise<(string | undefined)[]>;
  /**
   * Adds each document's folder and the document itself to `batched`, in that order; call before
   * the batch is executed. After it ran, `settle()` answers the documents whose part failed.
   */
  addToBatch(batched: SPFI, documents: { path: string; content: string }[]): Promise<{ settle: () => Promise<{ path: string; content: string }[]> }>;
}

export function createDocumentStore(sp: SPFI, options: { libraryTitle?: string } = {}): SharePointDocumentStore {
  const libraryTitle = options.libraryTitle ?? CRM_LISTS.runLogs;
  let root: Promise<string> | undefined;

  function rootUrl(): Promise<string> {
    if (root === undefined) {
      root = sp.web.lists
        .getByTitle(libraryTitle)
        .rootFolder.select('ServerRelativeUrl')()
        .then((info) => rootFolderSchema.parse(info).ServerRelativeUrl.replace(/\/$/, ''));
      // A failed lookup must not stick: the library may be provisioned a moment later.
      root.catch(() => (root = undefined));
    }
    return root;
  }

  async function ensureFolders(base: string, folders: string[]): Promise<void> {
    let url = base;
    for (const name of folders) {
      url = `${url}/${name}`;
      try {
        await sp.web.getFolderByServerRelativePath(url).select('Name')();
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await sp.web.folders.addUsingPath(url);
      }
    }
  }

  /** The folder of a first file: made in one request when its parent exists (a run's folder), else level by level. */
  async function makeFolder(base: string, folders: string[]): Promise<void> {
    try {
      await sp.web.folders.addUsingPath([base, ...folders].join('/'));
    } catch (error) {
      if (!isNotFound(error) || folders.length === 1) throw error;
      await ensureFolders(base, folders);
    }
  }

  async function write(path: string, content: string): Promise<void> {
    const segments = splitDocumentPath(path);
    const base = await rootUrl();
    const folders = segments.slice(0, -1);
    const fileName = segments[segments.length - 1];
    const folderUrl = [base, ...folders].join('/');
    try {
      await sp.web.getFolderByServerRelativePath(folderUrl).files.addUsingPath(fileName, content, { Overwrite: true });
    } catch (error) {
      if (!isNotFound(error) || folders.length === 0) throw error;
      // First file of a run: its folder does not exist yet.
      await makeFolder(base, folders);
      await sp.web.getFolderByServerRelativePath(folderUrl).files.addUsingPath(fileName, content, { Overwrite: true });
    }
  }

  async function addToBatch(batched: SPFI, documents: { path: string; content: string }[]) {
    const base = await rootUrl();
    const failed: { path: string; content: string }[] = [];
    // Each folder first, in the same request: SharePoint runs the parts in order, so a file's
    // folder exists when its part runs (one that exists already just answers an error here).
    const folders = new Set(documents.map((doc) => splitDocumentPath(doc.path).slice(0, -1).join('/')).filter((f) => f !== ''));
    const folderParts = Array.from(folders, (folder) => batched.web.folders.addUsingPath(`${base}/${folder}`, true).then(() => undefined, () => undefined));
    const parts = documents.map((doc) => {
      const segments = splitDocumentPath(doc.path);
      const folderUrl = [base, ...segments.slice(0, -1)].join('/');
      return batched.web
        .getFolderByServerRelativePath(folderUrl)
        .files.addUsingPath(segments[segments.length - 1], doc.content, { Overwrite: true })
        .then(() => undefined, () => void failed.push(doc));
    });
    return {
      settle: async () => {
        await Promise.all([...folderParts, ...parts]);
        return failed;
      },
    };
  }

  return {
    write,
    addToBatch,

    async writeMany(documents) {
      const [batched, execute] = sp.batched();
      const { settle } = await addToBatch(batched, documents);
      await execute();
      // A part that failed (usually a folder not there yet) is written on its own, which says why.
      for (const doc of await settle()) await write(doc.path, doc.content);
    },

    async read(path) {
      const url = [await rootUrl(), ...splitDocumentPath(path)].join('/');
      try {
        return await sp.web.getFileByServerRelativePath(url).getText();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async readMany(documentPaths) {
      const base = await rootUrl();
      const [batched, execute] = sp.batched();
      const texts = documentPaths.map((path) =>
        batched.web.getFileByServerRelativePath([base, ...splitDocumentPath(path)].join('/')).getText().then(
          (text): { text?: string; error?: unknown } => ({ text }),
          (error: unknown): { text?: string; error?: unknown } => (isNotFound(error) ? {} : { error }),
        ),
      );
      await execute();
      const results = await Promise.all(texts);
      const failure = results.find((r) => r.error !== undefined);
      if (failure) throw failure.error;
      return results.map((r) => r.text);
    },

    async list(folder) {
      const segments = folder.split('/').filter((s) => s !== '');
      const base = await rootUrl();
      const url = segments.length === 0 ? base : [base, ...splitDocumentPath(folder)].join('/');
      let files: z.infer<typeof fileNamesSchema>;
      try {
        files = fileNamesSchema.parse(await sp.web.getFolderByServerRelativePath(url).files.select('Name')());
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return files.map((f) => [...segments, f.Name].join('/')).sort();
    },
  };
}
