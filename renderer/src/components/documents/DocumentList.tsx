import { Trash2 } from "lucide-react";
import type { DocumentEntry } from "../../../../electron/shared/documents";
import { formatBytes } from "../../lib/format";
import { Button } from "../ui/Button";
import { TableHead } from "../ui/TableHead";

/** The collection's documents: format, pages, passages, and the pages that had no text to index. */
export function DocumentList({ documents, onRemove }: { documents: DocumentEntry[]; onRemove(id: string): void }) {
  if (documents.length === 0) return <p className="text-sm text-fg-muted">No documents yet.</p>;
  return (
    <section aria-label="Documents" className="overflow-x-auto">
      <table className="w-full text-sm">
        <TableHead columns={["Document", "Format", "Pages", "Passages", "Size", "", ""]} />
        <tbody>
          {documents.map((doc) => (
            <tr key={doc.id} className="border-t border-border" data-testid="document-row">
              <td className="max-w-48 truncate px-2 py-1 lg:max-w-72" title={doc.path}>
                {doc.name}
              </td>
              <td className="px-2 py-1 uppercase text-fg-muted">{doc.format}</td>
              <td className="px-2 py-1 tabular-nums">{doc.pages}</td>
              <td className="px-2 py-1 tabular-nums">{doc.chunkCount}</td>
              <td className="whitespace-nowrap px-2 py-1 tabular-nums">{formatBytes(doc.bytes)}</td>
              <td
                className="px-2 py-1 text-xs text-fg-muted"
                title={doc.pagesWithoutText.length ? `No text layer on page ${doc.pagesWithoutText.join(", ")}` : undefined}
              >
                {doc.pagesRead.length > 0 && `${doc.pagesRead.length} scanned page${doc.pagesRead.length === 1 ? "" : "s"} read by OCR. `}
                {doc.pagesWithoutText.length > 0 &&
                  `${doc.pagesWithoutText.length} page${doc.pagesWithoutText.length === 1 ? " has" : "s have"} no text (${doc.pagesWithoutText.slice(0, 5).join(", ")}${doc.pagesWithoutText.length > 5 ? ", …" : ""})`}
              </td>
              <td className="px-2 py-1 text-right">
                <Button size="icon" variant="ghost" aria-label={`Remove ${doc.name}`} onClick={() => onRemove(doc.id)}>
                  <Trash2 size={14} />
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
