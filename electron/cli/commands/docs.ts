import type { Command } from "commander";
import type { FileOutcome, IngestProgress } from "../../shared/documents";
import { HearthError } from "../../shared/errors";
import type { GridColumnInput, GridPacket, GridView } from "../../shared/grids";
import { displayValue } from "../../shared/gridValues";
import { collectColumn } from "../gridColumnSpec";
import { writeOutputFile } from "../writeOutputFile";
import { withCore } from "../context";
import { dim, formatBytes, printJson, printTable } from "../output";
import { integer } from "../parsers";
import { formatDuration } from "../progressLine";

/** `hearth docs`: document collections, indexed on this machine, searched with citations to the page. */
export function registerDocs(program: Command): void {
  const docs = program.command("docs").description("document collections: add PDFs, Word, HTML, Markdown and text files, then search them");

  docs
    .command("create <name>")
    .description("make an empty collection")
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const collection = core.documents.createCollection(name);
        if (options.json) return printJson(collection);
        process.stderr.write(`Created "${collection.name}". Add documents with: hearth docs add "${collection.name}" FILE-OR-FOLDER --embed MODEL\n`);
      });
    });

  docs
    .command("add <name> <paths...>")
    .description("index files, or every document inside folders (all levels down); unchanged files are skipped")
    .option("--embed <file-or-id>", "the embedding model (a library id or a .gguf file); the collection's first documents fix it")
    .option("--json", "print each file's outcome as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  $ hearth docs add contracts ~/Documents/contracts --embed nomic-embed-text-v1.5\n  $ hearth docs add contracts lease.pdf",
    )
    .action(async (name: string, paths: string[], options: { embed?: string; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const collection = core.documents.resolveCollection(name);
        const modelId = options.embed ? (await core.library.resolve(options.embed)).id : undefined;
        const controller = new AbortController();
        const stop = () => controller.abort(new HearthError("ABORTED", "Stopped; the documents finished so far are kept."));
        process.once("SIGINT", stop);
        const progress = ingestProgressPrinter();
        let outcomes: FileOutcome[];
        try {
          outcomes = await core.indexer.add(collection.id, paths, { modelId, signal: controller.signal, onProgress: progress });
        } finally {
          process.off("SIGINT", stop);
          progress.end();
        }
        if (options.json) return printJson(outcomes);
        const failed = outcomes.filter((o) => o.status === "failed");
        const indexed = outcomes.filter((o) => o.status === "indexed");
        const unchanged = outcomes.length - indexed.length - failed.length;
        for (const outcome of indexed) {
          const doc = outcome.document!;
          const missing = doc.pagesWithoutText.length ? `; ${doc.pagesWithoutText.length} page(s) have no text (${doc.pagesWithoutText.join(", ")})` : "";
          const read = doc.pagesRead.length ? `; ${doc.pagesRead.length} scanned page(s) read by OCR` : "";
          process.stderr.write(`indexed  ${doc.name}: ${doc.pages} page(s), ${doc.chunkCount} passage(s)${read}${missing}\n`);
        }
        for (const outcome of failed) process.stderr.write(`failed   ${outcome.error!.message}\n`);
        process.stderr.write(`${indexed.length} indexed, ${unchanged} unchanged, ${failed.length} failed.\n`);
        if (outcomes.length > 0 && failed.length === outcomes.length) process.exitCode = 1;
      });
    });

  docs
    .command("list [name]")
    .description("collections, or the documents of one")
    .option("--json", "print JSON")
    .action(async (name: string | undefined, options: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        if (!name) {
          const collections = core.documents.listCollections();
          if (options.json) return printJson(collections);
          if (collections.length === 0) return void process.stdout.write("No collections yet. Make one with `hearth docs create NAME`.\n");
          return printTable(
            ["NAME", "DOCUMENTS", "PASSAGES", "EMBEDDING MODEL", "RERANKER"],
            collections.map((c) => [
              c.name,
              String(c.documentCount),
              String(c.chunkCount),
              c.embeddingModelName ?? dim("none yet"),
              c.rerankerModelName ?? dim("none"),
            ]),
          );
        }
        const collection = core.documents.resolveCollection(name);
        const documents = core.documents.listDocuments(collection.id);
        if (options.json) return printJson({ collection, documents });
        if (documents.length === 0) return void process.stdout.write(`"${collection.name}" holds no documents yet.\n`);
        printTable(
          ["ID", "NAME", "FORMAT", "PAGES", "PASSAGES", "SIZE", "NOTE"],
          documents.map((d) => [
            d.id,
            d.name,
            d.format,
            String(d.pages),
            String(d.chunkCount),
            formatBytes(d.bytes),
            d.pagesWithoutText.length ? `${d.pagesWithoutText.length} page(s) have no text` : "",
          ]),
        );
      });
    });

  docs
    .command("rm <name> [document]")
    .description("delete a collection, or remove one document (by id or file name) from it; the files stay")
    .action(async (name: string, document: string | undefined, _options: unknown, command: Command) => {
      await withCore(command, async (core) => {
        const collection = core.documents.resolveCollection(name);
        if (!document) {
          core.documents.deleteCollection(collection.id);
          return void process.stderr.write(`Deleted the collection "${collection.name}" (the files themselves are untouched).\n`);
        }
        const matches = core.documents.listDocuments(collection.id).filter((d) => d.id === document || d.name === document || d.path === document);
        if (matches.length === 0) throw new HearthError("NOT_FOUND", `"${collection.name}" holds no document ${document}.`);
        if (matches.length > 1)
          throw new HearthError("INVALID_INPUT", `${matches.length} documents are named ${document}; give its id (hearth docs list "${collection.name}").`);
        core.documents.removeDocument(matches[0]!.id);
        process.stderr.write(`Removed ${matches[0]!.name} from "${collection.name}".\n`);
      });
    });

  docs
    .command("rerank <name> [model]")
    .description("rerank the collection's searches with a reranker GGUF (a library id or a file); --off stops")
    .option("--off", "search without a reranker again")
    .addHelpText("after", "\nExamples:\n  $ hearth docs rerank contracts bge-reranker-v2-m3-q8_0\n  $ hearth docs rerank contracts --off")
    .action(async (name: string, model: string | undefined, options: { off?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const collection = core.documents.resolveCollection(name);
        if (!options.off && !model) throw new HearthError("INVALID_INPUT", "Name the reranker model, or give --off.", { suggestion: "hearth models list" });
        const modelId = options.off ? null : (await core.library.resolve(model!)).id;
        const updated = await core.indexer.setReranker(collection.id, modelId);
        process.stderr.write(
          updated.rerankerModelName
            ? `"${updated.name}" is reranked with ${updated.rerankerModelName}.\n`
            : `"${updated.name}" is searched without a reranker.\n`,
        );
      });
    });

  docs
    .command("search <name> <query>")
    .description("the passages that best match, with document and page (full text and vectors, fused)")
    .option("-k, --limit <n>", "how many passages", integer(1, 100), 5)
    .option("--json", "print JSON: each passage with its document, page, character span and text")
    .addHelpText("after", '\nExample:\n  $ hearth docs search contracts "when does the lease renew?"')
    .action(async (name: string, query: string, options: { limit: number; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const collection = core.documents.resolveCollection(name);
        const passages = await core.indexer.search(collection.id, query, { limit: options.limit });
        if (options.json) return printJson(passages);
        if (passages.length === 0) return void process.stdout.write("Nothing in the collection matches.\n");
        for (const [i, passage] of passages.entries()) {
          const where = `${passage.documentName}, page ${passage.page}${passage.heading ? ` (${passage.heading})` : ""}${passage.rerankScore != null ? ` · reranked ${passage.rerankScore.toFixed(3)}` : ""}`;
          process.stdout.write(`[${i + 1}] ${where}\n${passage.text.replace(/\s+/g, " ").trim()}\n\n`);
        }
      });
    });
  docs
    .command("ask <name> <question>")
    .description("answer from a collection's documents, citing document and page ([1], [2]); kept as a conversation")
    .requiredOption("-m, --model <file-or-id>", "the chat model that answers (a library id or a .gguf file)")
    .option("--max-tokens <n>", "the answer's length at most", integer(1, 32_768), 512)
    .option("--json", "print JSON: the answer, its sources (document, page, span, passage) and the conversation")
    .addHelpText("after", '\nExample:\n  $ hearth docs ask contracts "When does the lease renew?" --model qwen2.5-7b-instruct')
    .action(async (name: string, question: string, options: { model: string; maxTokens: number; json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const collection = core.documents.resolveCollection(name);
        const model = await core.library.resolve(options.model);
        const started = await core.chat.send({
          text: question,
          modelId: model.id,
          collectionIds: [collection.id],
          sampling: { maxTokens: options.maxTokens },
          overflow: "dropOldest",
        });
        const { message, error } = await core.chat.wait(started.requestId);
        if (error) throw HearthError.fromData(error);
        const citations = message.citations ?? [];
        if (options.json) return printJson({ conversationId: started.conversationId, answer: message.content, citations });
        process.stdout.write(`${message.content.trim()}\n`);
        if (citations.length) process.stdout.write(`\nSources:\n${citations.map((c) => `[${c.n}] ${c.documentName}, page ${c.page}`).join("\n")}\n`);
        process.stderr.write(dim(`Kept as conversation ${started.conversationId}.\n`));
      });
    });

  docs
    .command("grid <name>")
    .description(
      "a review grid: the same questions over every document of a collection, typed answers with their sources (kept; run again, only new or changed cells are answered)",
    )
    .option("-c, --column <spec>", 'a column, "label: question[:type]" (type: text, number, date, yesno, choice(a|b|c)); repeat for more', collectColumn)
    .option("-m, --model <file-or-id>", "the chat model that answers the cells (a library id or a .gguf file); a kept grid remembers it")
    .option("--name <grid>", "the grid's name in the collection (the same name opens it again)", "hearth docs grid")
    .option("--csv <file>", "write the grid as CSV, each value with its source (document, page) beside it")
    .option("--xlsx <file>", "write the grid as an Excel workbook (typed cells, and a sheet quoting every source)")
    .option("--json", "print the grid, its documents and cells as JSON")
    .addHelpText(
      "after",
      '\nExample:\n  $ hearth docs grid contracts -m qwen2.5-7b-instruct \\\n      -c "Rent: What is the monthly rent?:number" -c "Renews: Does the lease renew automatically?:yesno" --xlsx review.xlsx',
    )
    .action(
      async (
        name: string,
        options: { column?: GridColumnInput[]; model?: string; name: string; csv?: string; xlsx?: string; json?: boolean },
        command: Command,
      ) => {
        await withCore(command, async (core) => {
          const collection = core.documents.resolveCollection(name);
          const modelId = options.model ? (await core.library.resolve(options.model)).id : undefined;
          const kept = core.gridStore.list(collection.id).find((g) => g.name.toLowerCase() === options.name.trim().toLowerCase());
          if (!kept && !options.column?.length) throw new HearthError("INVALID_INPUT", 'Give the grid\'s columns with --column "label: question[:type]".');
          let grid = kept ?? core.gridStore.create(collection.id, options.name, [], modelId ?? null);
          if (options.column?.length || modelId) {
            // Columns asked again as they were keep their answers; others are answered anew.
            const columns = options.column?.map((column) => ({ ...column, id: grid.columns.find((c) => sameColumn(c, column))?.id }));
            grid = core.gridStore.update(grid.id, { modelId, columns });
          }
          const progress = gridProgressPrinter(core.grids.view(grid.id));
          const unsubscribe = core.grids.onUpdate((packet) => packet.gridId === grid.id && progress(packet));
          const stop = () => core.grids.cancel(grid.id);
          process.once("SIGINT", stop);
          try {
            await core.grids.start(grid.id, { onlyMissing: true }).done;
          } finally {
            process.off("SIGINT", stop);
            unsubscribe();
            progress.end();
          }
          const view = core.grids.view(grid.id);
          const { exportGrid } = await import("../../core/export/exportGrid");
          for (const [format, out] of [
            ["csv", options.csv],
            ["xlsx", options.xlsx],
          ] as const) {
            if (!out) continue;
            const file = await exportGrid(view, format);
            process.stderr.write(`Wrote ${await writeOutputFile(out, file.filename, Buffer.from(file.content, file.encoding))}\n`);
          }
          if (options.json) return printJson(view);
          if (!options.csv && !options.xlsx) printGrid(view);
          const failed = view.cells.filter((c) => c.status === "failed");
          if (failed.length) process.stderr.write(`${failed.length} cell(s) failed: ${failed[0]!.error?.message ?? ""}\n`);
        });
      },
    );
}

function sameColumn(a: GridColumnInput, b: GridColumnInput): boolean {
  return a.label === b.label && a.question === b.question && JSON.stringify(a.type ?? { kind: "text" }) === JSON.stringify(b.type ?? { kind: "text" });
}

/** The grid as a table on stdout: a row per document, each value with its page. */
function printGrid(view: GridView): void {
  const cells = new Map(view.cells.map((cell) => [`${cell.documentId} ${cell.columnId}`, cell]));
  printTable(
    ["Document", ...view.grid.columns.map((c) => c.label)],
    view.rows.map((row) => [
      row.name,
      ...view.grid.columns.map((column) => {
        const cell = cells.get(`${row.id} ${column.id}`);
        if (!cell) return "";
        if (cell.status === "failed") return "(failed)";
        const pages = [...new Set(cell.citations.map((c) => c.page))];
        return cell.value === null ? "–" : `${displayValue(cell.value)}${pages.length ? ` (p. ${pages.join(", ")})` : ""}`;
      }),
    ]),
  );
}

/** A grid's progress on stderr: cells answered of all, speed and time left, and the cell being answered. */
function gridProgressPrinter(view: GridView) {
  const tty = Boolean(process.stderr.isTTY);
  const names = new Map(view.rows.map((row) => [row.id, row.name]));
  const labels = new Map(view.grid.columns.map((column) => [column.id, column.label]));
  let total = 0;
  let started = Date.now();
  const print = (packet: GridPacket) => {
    if (packet.type === "run") {
      if (packet.run) {
        total = packet.run.total;
        started = Date.now();
      }
      return;
    }
    if (packet.type !== "progress" || !packet.current) return;
    const seconds = (Date.now() - started) / 1000;
    const eta = packet.done > 0 ? `ETA ${formatDuration((seconds / packet.done) * (total - packet.done))}` : "";
    const line = `[${packet.done}/${total}] ${eta}  ${names.get(packet.current.documentId) ?? ""} · ${labels.get(packet.current.columnId) ?? ""}`;
    process.stderr.write(tty ? `\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}` : `${line}\n`);
  };
  print.end = () => {
    if (tty) process.stderr.write("\r\x1b[2K");
  };
  return print;
}

/** Progress on stderr: one line redrawn in a terminal, a line a document otherwise. */
function ingestProgressPrinter() {
  const tty = Boolean(process.stderr.isTTY);
  let lastDone = -1;
  const print = (p: IngestProgress) => {
    const speed = p.chunksPerSecond ? `${p.chunksPerSecond.toFixed(1)} passages/s` : "";
    const eta = p.etaSeconds !== null ? `ETA ${formatDuration(p.etaSeconds)}` : "";
    const line =
      `[${p.documentsDone}/${p.documentsTotal}] ${p.pagesDone} pages, ${p.chunksDone} passages ${speed} ${eta}${p.current ? `  ${p.current}` : ""}`.replace(
        / +/g,
        " ",
      );
    if (tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    else if (p.documentsDone !== lastDone) {
      lastDone = p.documentsDone;
      process.stderr.write(`${line}\n`);
    }
  };
  print.end = () => {
    if (tty) process.stderr.write("\r\x1b[2K");
  };
  return print;
}
