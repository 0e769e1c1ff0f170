/** Files of this site (a dataset, the pretrained model), fetched whole; a failure names the file. */

/** A site file's response, or an error that names it. */
async function fetchOk(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  return response;
}

/** @param {string} path relative to the page @returns {Promise<Uint8Array>} */
export const fetchBytes = async (path) => new Uint8Array(await (await fetchOk(path)).arrayBuffer());

/** @param {string} path relative to the page @returns {Promise<string>} */
export const fetchText = async (path) => (await fetchOk(path)).text();
