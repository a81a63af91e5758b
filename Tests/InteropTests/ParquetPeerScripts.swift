import Foundation

/// Python run by the Parquet interop tests: a canonical text rendering of Arrow tables (shared), the generator of
/// pyarrow-written files, and the checker of amoro-written files.
enum ParquetPeerScripts {
    /// Renders Arrow tables as one line per row: `{a,b}` structs, `[x]` lists, `<k:v>` maps, `s:`/`b:` hex strings
    /// and bytes, `n:` unscaled decimals, `f:`/`d:` float bits, integers (times and timestamps as their stored integers).
    static let common = #"""
import json, struct, sys, random, decimal, datetime
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.compute as pc

def _is_list(t):
    return pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t) or (hasattr(pa.types, 'is_list_view') and (pa.types.is_list_view(t) or pa.types.is_large_list_view(t)))

def norm_type(t, unit=None):
    if isinstance(t, pa.BaseExtensionType): return norm_type(t.storage_type, unit)
    if pa.types.is_dictionary(t): return norm_type(t.value_type, unit)
    if pa.types.is_timestamp(t): return pa.timestamp(unit) if unit else pa.int64()
    if pa.types.is_time(t): return pa.time64(unit) if unit else (pa.int32() if pa.types.is_time32(t) else pa.int64())
    if pa.types.is_date32(t): return pa.int32()
    if pa.types.is_float16(t): return pa.float32()
    if pa.types.is_struct(t): return pa.struct([pa.field(f.name, norm_type(f.type, unit), f.nullable) for f in t])
    if pa.types.is_map(t): return pa.map_(norm_type(t.key_type, unit), pa.field(t.item_field.name, norm_type(t.item_type, unit), t.item_field.nullable))
    if pa.types.is_fixed_size_list(t): return pa.list_(pa.field(t.value_field.name, norm_type(t.value_type, unit), t.value_field.nullable), t.list_size)
    if pa.types.is_large_list(t): return pa.large_list(pa.field(t.value_field.name, norm_type(t.value_type, unit), t.value_field.nullable))
    if pa.types.is_list(t): return pa.list_(pa.field(t.value_field.name, norm_type(t.value_type, unit), t.value_field.nullable))
    return t

def normalize(table, unit=None):
    cols = []
    for col in table.columns:
        if isinstance(col.type, pa.BaseExtensionType):
            col = pa.chunked_array([chunk.storage for chunk in col.chunks], col.type.storage_type)
        t = norm_type(col.type, unit)
        c = col
        if unit:
            c = c.cast(t, safe=False)
            t2 = norm_type(t)
            c = c.cast(t2)
        else:
            c = c.cast(t)
        cols.append(c)
    return pa.table(cols, names=table.column_names)

def r(t, v):
    if v is None: return 'null'
    if pa.types.is_boolean(t): return 'true' if v else 'false'
    if pa.types.is_integer(t): return str(v)
    if pa.types.is_float32(t): return 'nan' if v != v else 'f:' + struct.pack('>f', v).hex()
    if pa.types.is_float64(t): return 'nan' if v != v else 'd:' + struct.pack('>d', v).hex()
    if pa.types.is_string(t) or pa.types.is_large_string(t) or (hasattr(pa.types, 'is_string_view') and pa.types.is_string_view(t)):
        return 's:' + v.encode().hex()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or (hasattr(pa.types, 'is_binary_view') and pa.types.is_binary_view(t)):
        return 'b:' + bytes(v).hex()
    if pa.types.is_decimal(t):
        sign, digits, exp = v.as_tuple()
        n = int(''.join(map(str, digits)) or '0') * 10 ** (exp + t.scale)
        return 'n:' + str(-n if sign else n)
    if _is_list(t): return '[' + ','.join(r(t.value_type, x) for x in v) + ']'
    if pa.types.is_struct(t): return '{' + ','.join(r(f.type, v[f.name]) for f in t) + '}'
    if pa.types.is_map(t): return '<' + ','.join(r(t.key_type, k) + ':' + r(t.item_type, x) for k, x in v) + '>'
    if pa.types.is_null(t): return 'null'
    raise TypeError('cannot render %s' % t)

def render(table):
    cols = [(c.type, c.to_pylist()) for c in table.columns]
    lines = []
    for i in range(table.num_rows):
        lines.append('{' + ','.join(r(t, vals[i]) for t, vals in cols) + '}')
    return '\n'.join(lines) + ('\n' if lines else '')
"""#

    /// Writes each named case (`table-codec-version-mode` with pyarrow, `duckdb-codec-version` with DuckDB's COPY)
    /// and its canonical rendering as pyarrow reads it back.
    static let generate = common + "\n" + #"""
import os
N = 300
rng = random.Random(7)
def maybe(v, i, k=7): return None if i % k == 3 else v
def ints(lo, hi): return [maybe(rng.choice([lo, hi, 0, rng.randint(lo, hi)]), i) for i in range(N)]
def text(i):
    return rng.choice(['', 'a', 'ice', 'berg\u00e9', '\u65e5\u672c', 'x' * rng.randint(0, 40), 'v%d' % (i % 13)])
def flat():
    cols = {}
    cols['b'] = pa.array([maybe(i % 3 == 0, i) for i in range(N)])
    for name, t, lo, hi in [('i8', pa.int8(), -128, 127), ('i16', pa.int16(), -32768, 32767), ('i32', pa.int32(), -2**31, 2**31 - 1), ('i64', pa.int64(), -2**63, 2**63 - 1), ('u8', pa.uint8(), 0, 255), ('u16', pa.uint16(), 0, 65535), ('u32', pa.uint32(), 0, 2**32 - 1), ('u64', pa.uint64(), 0, 2**64 - 1)]:
        cols[name] = pa.array(ints(lo, hi), t)
    specials = [float('nan'), -0.0, 0.0, float('inf'), -float('inf'), 1.5, -3.25e10]
    cols['f32'] = pa.array([maybe(rng.choice(specials + [rng.uniform(-1e6, 1e6)]), i) for i in range(N)], pa.float32())
    cols['f64'] = pa.array([maybe(rng.choice(specials + [rng.uniform(-1e300, 1e300)]), i) for i in range(N)], pa.float64())
    halfs = b''.join(struct.pack('<e', rng.choice([0.5, -2.0, 65504.0, 0.0, -0.0, float('nan'), 1e-5])) for i in range(N))
    valid = pa.array([i % 7 != 3 for i in range(N)]).buffers()[1]
    cols['f16'] = pa.Array.from_buffers(pa.float16(), N, [valid, pa.py_buffer(halfs)])
    cols['s'] = pa.array([maybe(text(i), i) for i in range(N)], pa.string())
    cols['ls'] = pa.array([maybe(text(i), i, 5) for i in range(N)], pa.large_string())
    cols['bin'] = pa.array([maybe(bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 9))), i) for i in range(N)], pa.binary())
    cols['lbin'] = pa.array([maybe(bytes([i % 256]) * (i % 4), i) for i in range(N)], pa.large_binary())
    cols['fsb'] = pa.array([maybe(bytes([i % 256, 1, 2, 3, 255]), i) for i in range(N)], pa.binary(5))
    cols['d32'] = pa.array([maybe(rng.randint(-100000, 100000), i) for i in range(N)], pa.date32())
    cols['t32'] = pa.array([maybe(rng.randint(0, 86399999), i) for i in range(N)], pa.time32('ms'))
    cols['t64us'] = pa.array([maybe(rng.randint(0, 86399999999), i) for i in range(N)], pa.time64('us'))
    cols['t64ns'] = pa.array([maybe(rng.randint(0, 86399999999999), i) for i in range(N)], pa.time64('ns'))
    for unit in ['ms', 'us', 'ns']:
        for tz in [None, 'UTC']:
            cols['ts_%s%s' % (unit, '_utc' if tz else '')] = pa.array([maybe(rng.randint(-2**40, 2**40) * (1000 if unit == 'ns' else 1), i) for i in range(N)], pa.timestamp(unit, tz))
    for p, s in [(5, 2), (9, 0), (18, 6), (38, 10)]:
        cols['dec%d_%d' % (p, s)] = pa.array([maybe(decimal.Decimal(rng.randint(-10**p + 1, 10**p - 1)).scaleb(-s), i) for i in range(N)], pa.decimal128(p, s))
    cols['dec50_5'] = pa.array([maybe(decimal.Decimal(rng.randint(-10**50 + 1, 10**50 - 1)).scaleb(-5), i) for i in range(N)], pa.decimal256(50, 5))
    cols['ts_us_ny'] = pa.array([maybe(rng.randint(-2**40, 2**40), i) for i in range(N)], pa.timestamp('us', 'America/New_York'))
    cols['uuid'] = pa.ExtensionArray.from_storage(pa.uuid(), pa.array([maybe(bytes(rng.randint(0, 255) for _ in range(16)), i) for i in range(N)], pa.binary(16)))
    cols['dict'] = pa.array([maybe('k%d' % (i % 5), i) for i in range(N)], pa.string()).dictionary_encode()
    cols['nul'] = pa.nulls(N)
    cols['req'] = pa.array(list(range(N)), pa.int32())
    cols['json'] = pa.ExtensionArray.from_storage(pa.json_(), pa.array([maybe('{"a":%d}' % i, i) for i in range(N)], pa.string()))
    schema = pa.schema([pa.field(k, v.type, nullable=(k != 'req')) for k, v in cols.items()])
    return pa.table(list(cols.values()), schema=schema)

def nested():
    def lst(f, i, k=4):
        if i % 11 == 5: return None
        return [f(j) for j in range(rng.randint(0, k))]
    cols = {}
    cols['li'] = pa.array([lst(lambda j: maybe(rng.randint(-5, 5), j, 3), i) for i in range(N)], pa.list_(pa.int32()))
    st = pa.struct([('a', pa.int32()), ('b', pa.string())])
    cols['lstruct'] = pa.array([lst(lambda j: None if j == 2 else {'a': maybe(j, j, 2), 'b': text(j)}, i) for i in range(N)], pa.list_(st))
    inner = pa.struct([('z', pa.string()), ('w', pa.list_(pa.float64()))])
    outer = pa.struct([('x', pa.int64()), ('y', inner)])
    cols['st'] = pa.array([maybe({'x': maybe(i, i, 5), 'y': maybe({'z': text(i), 'w': lst(lambda j: float(j) / 3, i)}, i, 4)}, i, 6) for i in range(N)], outer)
    cols['mp'] = pa.array([maybe([('k%d' % j, lst(lambda q: q, i + j)) for j in range(i % 3)], i, 8) for i in range(N)], pa.map_(pa.string(), pa.list_(pa.int32())))
    cols['lls'] = pa.array([lst(lambda j: maybe(text(j), j, 3), i) for i in range(N)], pa.large_list(pa.string()))
    cols['fsl'] = pa.array([maybe([maybe(i + j, j, 2) for j in range(3)], i, 9) for i in range(N)], pa.list_(pa.int16(), 3))
    cols['ll'] = pa.array([lst(lambda j: lst(lambda q: q * j, j + 1, 3), i) for i in range(N)], pa.list_(pa.list_(pa.int32())))
    vs = pa.struct([('p', pa.bool_()), ('q', pa.timestamp('us'))])
    cols['mstruct'] = pa.array([maybe([(j, maybe({'p': j % 2 == 0, 'q': j * 1000}, j, 2)) for j in range(i % 4)], i, 5) for i in range(N)], pa.map_(pa.int32(), vs))
    cols['id'] = pa.array(list(range(N)), pa.int64())
    return pa.table(cols)

def encodings_for(table, mode):
    enc = {}
    for f in table.schema:
        t = f.type
        if isinstance(t, pa.BaseExtensionType): t = t.storage_type
        if pa.types.is_dictionary(t): t = t.value_type
        e = 'PLAIN'
        if mode == 'delta':
            if pa.types.is_integer(t) or pa.types.is_temporal(t) and not pa.types.is_timestamp(t) or pa.types.is_timestamp(t): e = 'DELTA_BINARY_PACKED'
            if pa.types.is_string(t) or pa.types.is_large_string(t): e = 'DELTA_LENGTH_BYTE_ARRAY'
            if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_decimal(t) or pa.types.is_float16(t): e = 'DELTA_BYTE_ARRAY'
            if pa.types.is_boolean(t): e = 'RLE'
        if mode == 'bss':
            if pa.types.is_floating(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_decimal(t) or pa.types.is_int32(t) or pa.types.is_int64(t) or pa.types.is_timestamp(t): e = 'BYTE_STREAM_SPLIT'
        if pa.types.is_null(t): continue
        enc[f.name] = e
    return enc

def write_case(name, out):
    table_name, codec, version, mode = name.split('-')
    table = flat() if table_name == 'flat' else nested()
    kwargs = dict(store_schema=False, compression=codec, data_page_version=version, data_page_size=512, row_group_size=128, write_batch_size=50)
    if mode == 'dict':
        kwargs['use_dictionary'] = True
    elif mode == 'plain':
        kwargs['use_dictionary'] = False
    elif mode in ('delta', 'bss'):
        kwargs['use_dictionary'] = False
        kwargs['column_encoding'] = encodings_for(table, mode)
    elif mode == 'int96':
        kwargs['use_deprecated_int96_timestamps'] = True
    elif mode == 'decint':
        kwargs['store_decimal_as_integer'] = True
    elif mode == 'legacy':
        kwargs['use_compliant_nested_type'] = False
    elif mode == 'pageindex':
        kwargs['write_page_index'] = True
    elif mode == 'crc':
        kwargs['write_page_checksum'] = True
    path = os.path.join(out, name + '.parquet')
    pq.write_table(table, path, **kwargs)
    back = pq.read_table(path)
    with open(os.path.join(out, name + '.txt'), 'w') as f:
        f.write(render(normalize(back)))

import duckdb, pyarrow.parquet as pq
def write_duckdb(name, out):
    _, codec, version = name.split('-')
    path = os.path.join(out, name + '.parquet')
    q = """
    select
      case when i % 7 = 3 then null else i % 2 = 0 end as bo,
      (i % 120 - 60)::TINYINT as ti, (i * 37 % 30000)::SMALLINT as si, (i * 7919 - 100000)::INTEGER as ii,
      case when i % 5 = 1 then null else (i * 1000000007)::BIGINT end as bi,
      (i % 250)::UTINYINT as uti, (i * 3)::USMALLINT as usi, (i * 4000000)::UINTEGER as ui, (i * 40000000000000)::UBIGINT as ubi,
      (i / 7.0)::FLOAT as fl, case when i % 9 = 0 then null else i / 3.0 end::DOUBLE as db,
      case when i % 4 = 0 then null else 'str' || (i % 17)::VARCHAR end as vc,
      ('\\x' || lpad(to_hex(i % 256), 2, '0'))::BLOB as bl,
      (DATE '1970-01-01' + (i * 37 - 5000)::INTEGER) as dt,
      (TIME '00:00:00' + to_microseconds(i * 1234567)) as tm,
      (TIMESTAMP '2020-01-01' + to_microseconds(i * 987654321)) as ts,
      (TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_microseconds(i * 987654321)) as tstz,
      (TIMESTAMP_NS '2020-01-01' + to_microseconds(i * 3)) as tsns,
      (i / 10)::DECIMAL(4,1) as d4, (i * 1.37)::DECIMAL(9,2) as d9, (i * 123456.789)::DECIMAL(18,3) as d18,
      (i * 1234567890123.45678)::DECIMAL(38,5) as d38,
      case when i % 6 = 0 then null else uuid_extract_... end as placeholder
    from range(0, 400) t(i)
    """
    q = q.replace("      case when i % 6 = 0 then null else uuid_extract_... end as placeholder\n", """      md5(i::VARCHAR)::UUID as uu,
      case when i % 8 = 0 then null else [i, null, i + 1][1:(i % 4)] end as li,
      case when i % 10 = 0 then null else {'a': i, 'b': 'n' || i::VARCHAR} end as st,
      case when i % 11 = 0 then null else map(['k' || (i % 3)::VARCHAR], [i]) end as mp,
      [['x', null], [], null][1:(i % 4)] as ll
""")
    opts = "FORMAT parquet, COMPRESSION '%s', ROW_GROUP_SIZE 150" % codec
    if version == 'v2': opts += ", PARQUET_VERSION 'V2'"
    duckdb.sql("COPY (%s) TO '%s' (%s)" % (q, path, opts))
    back = pq.read_table(path)
    cols = []
    for c in back.columns:
        if isinstance(c.type, pa.BaseExtensionType):
            c = pa.chunked_array([chunk.storage for chunk in c.chunks], c.type.storage_type)
        cols.append(c)
    back = pa.table(cols, names=back.column_names)
    with open(os.path.join(out, name + '.txt'), 'w') as f:
        f.write(render(normalize(back)))

out = sys.argv[1]
names = json.loads(sys.argv[2])
errors = {}
for name in names:
    try:
        if name.startswith('duckdb-'):
            write_duckdb(name, out)
        else:
            write_case(name, out)
    except Exception as e:
        errors[name] = repr(e)
print(json.dumps(errors))
"""#

    /// Reads an amoro-written file with pyarrow and DuckDB: pyarrow's canonical rendering, whether DuckDB reads the
    /// same values, the field ids pyarrow sees, and whether pyarrow's statistics match the data.
    static let check = common + "\n" + #"""
import os
import duckdb

def duck_table(path):
    rel = duckdb.sql("select * from read_parquet('%s')" % path.replace("'", "''"))
    if hasattr(rel, 'fetch_arrow_table'):
        t = rel.fetch_arrow_table()
    else:
        t = rel.arrow()
    if isinstance(t, pa.RecordBatchReader):
        t = t.read_all()
    return t

def uuid_fix(duck, ref):
    cols = []
    for name in duck.column_names:
        c = duck.column(name)
        rt = ref.column(name).type
        if (pa.types.is_string(c.type) or pa.types.is_large_string(c.type)) and pa.types.is_fixed_size_binary(rt):
            vals = [None if v is None else bytes.fromhex(v.replace('-', '')) for v in c.to_pylist()]
            c = pa.chunked_array([pa.array(vals, rt)])
        cols.append(c)
    return pa.table(cols, names=duck.column_names)

path = sys.argv[1]
out = {}
f = pq.ParquetFile(path)
t = f.read()
plain = t
cols = []
for c in t.columns:
    if isinstance(c.type, pa.BaseExtensionType):
        c = pa.chunked_array([chunk.storage for chunk in c.chunks], c.type.storage_type)
    cols.append(c)
t = pa.table(cols, names=t.column_names)
out['pyarrow'] = render(normalize(t))
try:
    d = uuid_fix(normalize(duck_table(path), 'us'), normalize(t, 'us'))
    a = normalize(t, 'us')
    ra, rd = render(a), render(d)
    out['duckdb_equal'] = ra == rd
    if ra != rd:
        for x, y in zip(ra.split('\n'), rd.split('\n')):
            if x != y:
                out['duckdb_diff'] = [x, y]
                break
        out['duckdb_types'] = [str(x) for x in d.schema.types]
except Exception as e:
    out['duckdb_equal'] = False
    out['duckdb_diff'] = repr(e)
ids = {}
def walk(field, prefix):
    md = field.metadata or {}
    ids[prefix + field.name] = int(md.get(b'PARQUET:field_id', b'-1'))
    ft = field.type
    if pa.types.is_struct(ft):
        for sub in ft: walk(sub, prefix + field.name + '.')
    elif pa.types.is_list(ft) or pa.types.is_large_list(ft):
        walk(ft.value_field, prefix + field.name + '.')
    elif pa.types.is_map(ft):
        walk(ft.key_field, prefix + field.name + '.')
        walk(ft.item_field, prefix + field.name + '.')
for field in plain.schema: walk(field, '')
out['field_ids'] = ids
stats = {}
md = f.metadata
for j in range(md.num_columns):
    col = md.row_group(0).column(j)
    name = col.path_in_schema
    if '.' in name: continue
    s = col.statistics
    if s is None:
        stats[name] = 'missing'
        continue
    values = t.column(name).slice(0, md.row_group(0).num_rows)
    ok = s.null_count == values.null_count
    tp = values.type
    smin, smax = s.min, s.max
    if (pa.types.is_string(tp) or pa.types.is_large_string(tp)) and isinstance(smin, bytes):
        smin, smax = smin.decode(), smax.decode()
    if s.has_min_max and (pa.types.is_integer(tp) or pa.types.is_floating(tp) and not pa.types.is_float16(tp) or pa.types.is_string(tp) or pa.types.is_decimal(tp) or pa.types.is_binary(tp)):
        mm = pc.min_max(values).as_py()
        ok = ok and smin == mm['min'] and smax == mm['max']
        if not ok: stats[name] = repr((smin, smax, s.null_count, mm, values.null_count))
        else: stats[name] = True
    else:
        stats[name] = ok if ok else repr((s.null_count, values.null_count))
out['stats'] = stats
out['page_index'] = [md.row_group(0).column(j).has_column_index and md.row_group(0).column(j).has_offset_index for j in range(md.num_columns)]
print(json.dumps(out))
"""#
}
