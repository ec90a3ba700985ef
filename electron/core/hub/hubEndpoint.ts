/** The hub's address: HF_ENDPOINT when set (a mirror, or the tests' fake hub), else huggingface.co. */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT?.trim() || "https://huggingface.co").replace(/\/+$/, "");
}

const REPO_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;

export function isRepoId(value: string): boolean {
  return REPO_ID.test(value) && !value.includes("..");
}

/** The download address of a file in a repo (main branch), each path segment escaped. */
export function fileUrl(endpoint: string, repo: string, file: string): string {
  return `${endpoint}/${repo}/resolve/main/${file.split("/").map(encodeURIComponent).join("/")}`;
}
