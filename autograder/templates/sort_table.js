// Sorts a table.sortable by the column whose heading button is clicked; a second click reverses.
// A cell's data-sort value (when present) is its sort key; empty keys go last either way.
function compareKeys(a, b) {
  if (a === "" || b === "") return (a === "") - (b === "");
  const x = Number(a), y = Number(b);
  return Number.isNaN(x) || Number.isNaN(y) ? a.localeCompare(b) : x - y;
}
for (const table of document.querySelectorAll("table.sortable")) {
  const headings = Array.from(table.tHead.rows[0].cells);
  headings.forEach((heading, column) => {
    const button = heading.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const ascending = heading.getAttribute("aria-sort") !== "ascending";
      headings.forEach(other => other.removeAttribute("aria-sort"));
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = row => row.cells[column].dataset.sort ?? row.cells[column].textContent.trim();
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const [ka, kb] = [key(a), key(b)];
        return ascending || ka === "" || kb === "" ? compareKeys(ka, kb) : compareKeys(kb, ka);
      });
      body.append(...rows);
    });
  });
}
