import { z } from "zod";
import { catalogEntrySchema, type CatalogEntry } from "../../shared/modelHub";
import catalogJson from "../../../resources/catalog.json";

/** The curated starter models shipped with the app: shown offline, before any search. */
export const catalog: readonly CatalogEntry[] = z.array(catalogEntrySchema).parse(catalogJson);
