/**
 * Your own CSV files, kept in this browser (IndexedDB) until you remove them:
 * the bytes as uploaded, the label column and task chosen, and the dataset's
 * description for the picker. Nothing here leaves the browser. Every call
 * resolves; a browser without IndexedDB (or with storage blocked) keeps
 * nothing, and says so through `problem`.
 */
const DB_NAME = "mlp-from-scratch";
const STORE = "csv-datasets";

let opening = null;

function openDb() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "name" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

/**
 * Run one request against the store; resolves with its result once its transaction has completed,
 * so what was written is there for good (a reload right after cannot lose it).
 */
async function run(mode, makeRequest) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = makeRequest(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(request.error ?? transaction.error);
    transaction.onabort = () => reject(transaction.error ?? request.error);
  });
}

/** Why keeping data failed, in words for the page. */
const problem = (err) => `Your CSV could not be kept in this browser (${err?.name ?? err}); it works until you leave the page.`;

/**
 * Every stored CSV: [{name, bytes, label, task, entry}], oldest first.
 * @returns {Promise<{records: object[], problem: ?string}>}
 */
export async function listCsv() {
  try {
    return { records: await run("readonly", (store) => store.getAll()), problem: null };
  } catch (err) {
    return { records: [], problem: problem(err) };
  }
}

/** Run `work`; resolves to null, or to the problem in words when the browser keeps nothing. */
async function attempt(work) {
  try {
    await work();
    return null;
  } catch (err) {
    return problem(err);
  }
}

/**
 * Keep (or replace) one CSV.
 * @param {{name: string, bytes: Uint8Array, label: ?string, task: ?string, entry: object}} record
 * @returns {Promise<?string>} a problem, or null
 */
export const putCsv = (record) => attempt(() => run("readwrite", (store) => store.put(record)));

/** Forget one CSV. @returns {Promise<?string>} a problem, or null */
export const deleteCsv = (name) => attempt(() => run("readwrite", (store) => store.delete(name)));
