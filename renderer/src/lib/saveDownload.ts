/** Saves a file the core made through the browser's download (the desktop app saves it the same way). */
export function saveDownload(file: { filename: string; content: string; encoding?: "utf8" | "base64" }, type: string): void {
  const body = file.encoding === "base64" ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: file.filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
