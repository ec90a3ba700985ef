import path from "node:path";
import { chunkPage } from "./chunkText";
import type { DocumentStore, DraftPassage } from "./DocumentStore";
import type { ParsedDocument } from "./parsedDocument";
import { formatOf, parseDocument } from "./parseDocument";

export interface ReadDraft {
  draftId: string;
  parsed: ParsedDocument;
  /** Its passages in reading order (page by page), each with its row. */
  passages: DraftPassage[];
}

/**
 * Reads a file into a draft document of the collection: pages are cut into passages and stored,
 * full-text index included, as the readers hand them over, so the index is built while the rest of
 * the file is still being read. The draft is discarded if reading fails; the caller finishes it
 * (DocumentStore.finishDraft) with the passages' vectors, or discards it.
 */
export async function readIntoDraft(
  store: DocumentStore,
  collectionId: string,
  file: { path: string; bytes: Uint8Array; sha256: string },
  options: { ocr: boolean; onPages?(pages: number): void },
): Promise<ReadDraft> {
  let draftId: string | null = null;
  let passages: DraftPassage[] = [];
  const heard = new Set<number>();
  try {
    const parsed = await parseDocument(file.path, file.bytes, {
      ocr: options.ocr,
      onPages: (pages) => {
        draftId ??= store.beginDraft(collectionId, {
          path: file.path,
          name: path.basename(file.path),
          format: formatOf(file.path)!,
          sha256: file.sha256,
          bytes: file.bytes.byteLength,
        });
        // A page heard again (a scan, once OCR has read it) replaces what it held.
        const again = new Set(pages.filter((page) => heard.has(page.page)).map((page) => page.page));
        if (again.size > 0) passages = passages.filter((passage) => !again.has(passage.chunk.page));
        passages.push(
          ...store.addDraftPages(
            draftId,
            pages.map((page) => ({ page, chunks: chunkPage(page) })),
          ),
        );
        for (const page of pages) heard.add(page.page);
        options.onPages?.(pages.length - again.size);
      },
    });
    if (draftId === null) throw new Error(`${file.path} was read but none of its pages was heard`);
    // Pages come from several readers at once; within a page, rows are in the passages' order.
    passages.sort((a, b) => a.chunk.page - b.chunk.page || a.rowid - b.rowid);
    return { draftId, parsed, passages };
  } catch (error) {
    if (draftId !== null) store.discardDraft(draftId);
    throw error;
  }
}
