/** A table's header row of plain column names, in the app's quiet header style. */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead className="text-left text-fg-muted">
      <tr>
        {columns.map((column) => (
          <th key={column} className="px-2 py-1 font-normal">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
