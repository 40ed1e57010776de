'use strict';
/**
 * Source patches applied to FerretDB v1.24.2 before building .local/bin/ferretdb
 * (scripts/lib/ferretdb-build.cjs): the module is copied out of the Go module
 * cache into .local/ferretdb-src, patched there, and built through a `replace`.
 * Each patch must match exactly once, or the build stops: a new FerretDB
 * version needs its patches looked at again.
 */
const PATCHES = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
    // FerretDB looks rows up by _id with `WHERE _ferretdb_sjson->'$._id' = ?`, but
    // builds the unique _id index on `_ferretdb_sjson->"_id"`. SQLite uses an
    // expression index only for the identical expression, so every lookup,
    // update and delete by _id scanned and parsed the whole table (EXPLAIN QUERY
    // PLAN: SCAN, not SEARCH ... USING INDEX): 35 ms per status update of the
    // message log at 2,000 rows, 420 ms at 20,000. Both expressions extract the
    // same value; with the index's spelling each one is an index search
    // (4 ms at 20,000 rows). docs/reliability.md has the measurements.
    why: 'SQLite _id lookups use the _id index',
  },
];

/** Applies PATCHES to the module copy in `dir`; throws if one does not match exactly once. */
function applyFerretDBPatches(fs, path, dir) {
  for (const patch of PATCHES) {
    const file = path.join(dir, patch.file);
    const source = fs.readFileSync(file, 'utf8');
    const count = source.split(patch.from).length - 1;
    if (count !== 1) {
      throw new Error(`FerretDB patch "${patch.why}": expected 1 match of ${patch.from} in ${patch.file}, found ${count}`);
    }
    fs.writeFileSync(file, source.replace(patch.from, patch.to));
  }
}

module.exports = { PATCHES, applyFerretDBPatches };
