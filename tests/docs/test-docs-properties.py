#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the property tables of the docs against the registry.

For mctxsink and mctxsrc (loaded from GST_PLUGIN_PATH) and, with --lib, for
libmctx's MctxPublication, MctxSubscription, MctxPacer, MctxMerger,
MctxRedundantSubscription, MctxSapAnnouncer and MctxSapListener (through GObject
introspection: GI_TYPELIB_PATH and LD_LIBRARY_PATH point at the build), it
lists the properties each type defines itself (not those of its parent
classes) and compares them with the table that follows
"<!-- properties: NAME -->" in the docs:

- every property has a row, and every row names a property;
- the Default column (the text between backticks) equals the registry's
  default: NULL, true/false (any case), an integer or a "quoted" string;
- the Type column names the value type (string for gchararray);
- for numbers, the Range column starts with MIN..MAX (G_MAXINT, G_MAXUINT,
  G_MAXUINT16 and G_MAXUINT64 may stand for the limits);
- "read-only" appears in the Type or Flags column exactly when the
  property is not writable; "PLAYING" appears in the Flags column (when
  the table has one) exactly when it is GST_PARAM_MUTABLE_PLAYING, and
  "READY" exactly when it is GST_PARAM_MUTABLE_READY.

usage: test-docs-properties.py ELEMENTS_MD LIBMCTX_MD [--lib]
Prints one line per problem; exits 1 when there is one, 77 (skip) when
GStreamer's Python bindings are missing.
"""

import os
import re
import sys

SKIP = 77

# paths in messages are relative to the source tree (tests/docs/../..)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SYMBOLS = {
    'G_MAXINT': 2**31 - 1,
    'G_MININT': -2**31,
    'G_MAXUINT': 2**32 - 1,
    'G_MAXUINT16': 2**16 - 1,
    'G_MAXINT64': 2**63 - 1,
    'G_MININT64': -2**63,
    'G_MAXUINT64': 2**64 - 1,
}

# how the docs write a value type
TYPE_WORDS = {
    'gchararray': 'string',
}

NUMERIC = {'gint', 'guint', 'gint64', 'guint64', 'glong', 'gulong', 'gint8',
           'guint8', 'gdouble', 'gfloat'}


def split_row(line):
    """The cells of a Markdown table row ('\\|' does not split)."""
    line = line.strip()
    if line.startswith('|'):
        line = line[1:]
    if line.endswith('|') and not line.endswith('\\|'):
        line = line[:-1]
    return [c.strip().replace('\\|', '|')
            for c in re.split(r'(?<!\\)\|', line)]


def parse_tables(path):
    """{NAME: [(lineno, {column: text})]} for each marked table."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    tables = {}
    i = 0
    while i < len(lines):
        m = re.match(r'\s*<!--\s*properties:\s*(\S+)\s*-->\s*$', lines[i])
        i += 1
        if not m:
            continue
        name = m.group(1)
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i + 1 >= len(lines) or not lines[i].lstrip().startswith('|'):
            raise SystemExit('%s:%d: no table after the properties marker of %s'
                             % (path, i, name))
        header = [h.lower() for h in split_row(lines[i])]
        cols = {}
        for idx, h in enumerate(header):
            for key in ('property', 'type', 'default', 'range', 'flags'):
                if h.startswith(key) and key not in cols:
                    cols[key] = idx
        for key in ('property', 'type', 'default'):
            if key not in cols:
                raise SystemExit('%s:%d: the table of %s has no %s column'
                                 % (path, i + 1, name, key.capitalize()))
        i += 2          # header and separator
        rows = []
        while i < len(lines) and lines[i].lstrip().startswith('|'):
            cells = split_row(lines[i])
            row = {k: (cells[v] if v < len(cells) else '')
                   for k, v in cols.items()}
            rows.append((i + 1, row))
            i += 1
        tables.setdefault(name, []).extend(rows)
    return tables


def first_code(text):
    m = re.search(r'`([^`]*)`', text)
    return m.group(1) if m else text.strip()


def parse_default(text):
    """(ok, value) from the Default cell."""
    t = first_code(text).strip()
    if t in ('NULL', 'None', ''):
        return True, None
    if t.lower() in ('true', 'false'):
        return True, t.lower() == 'true'
    if re.fullmatch(r'-?\d+', t):
        return True, int(t)
    if re.fullmatch(r'-?\d+\.\d*', t):
        return True, float(t)
    if len(t) >= 2 and t[0] == t[-1] == '"':
        return True, t[1:-1]
    if t in SYMBOLS:
        return True, SYMBOLS[t]
    return False, t


def number(text):
    text = text.strip()
    if text in SYMBOLS:
        return SYMBOLS[text]
    return int(text)


class Checker:
    def __init__(self):
        self.problems = 0
        self.checked = 0

    def problem(self, where, what):
        self.problems += 1
        print('FAIL %s: %s' % (where, what))

    def check_table(self, tables, name, gtype, doc_path, gobject, gst):
        """check_type() on NAME's table of DOC_PATH (parse_tables()), or a
        problem when the doc has none"""
        if name not in tables:
            self.problem(os.path.relpath(doc_path, ROOT),
                         'no "<!-- properties: %s -->" table' % name)
        else:
            self.check_type(name, gtype, doc_path, tables[name], gobject, gst)

    def check_lib_types(self, libmctx_md, types, gobject):
        """check_table() for each (table name, libmctx class) of TYPES in
        docs/libmctx.md"""
        tables = parse_tables(libmctx_md)
        for name, cls in types:
            self.check_table(tables, name, cls.__gtype__, libmctx_md, gobject, None)

    def report(self):
        """the summary line; the exit status"""
        if self.problems:
            print('%d problem(s) in %d properties' % (self.problems, self.checked))
            return 1
        print('OK: %d properties documented with their registry defaults'
              % self.checked)
        return 0

    def check_type(self, name, gtype, doc_path, rows, gobject, gst):
        where_doc = os.path.relpath(doc_path, ROOT)
        by_name = {}
        for lineno, row in rows:
            pname = first_code(row['property'])
            if pname in by_name:
                self.problem('%s:%d' % (where_doc, lineno),
                             '%s: property \'%s\' has two rows' % (name, pname))
            by_name[pname] = (lineno, row)

        own = [p for p in gobject.list_properties(gtype)
               if p.owner_type == gtype]
        if not own:
            self.problem(name, 'the registry lists no properties of its own')
        for pspec in own:
            self.checked += 1
            where = '%s %s:%s' % (where_doc, name, pspec.name)
            if pspec.name not in by_name:
                self.problem(where, 'not documented (no row in the table after '
                             '"<!-- properties: %s -->")' % name)
                continue
            lineno, row = by_name.pop(pspec.name)
            where = '%s:%d %s:%s' % (where_doc, lineno, name, pspec.name)
            vtype = pspec.value_type.name

            # default
            reg = getattr(pspec, 'default_value', None)
            ok, doc = parse_default(row['default'])
            if not ok:
                self.problem(where, 'cannot read the documented default %r'
                             % row['default'])
            elif not same_default(vtype, doc, reg):
                self.problem(where, 'documented default %s, registry default %s'
                             % (show(doc), show(reg)))

            # type
            want = TYPE_WORDS.get(vtype, vtype)
            words = re.findall(r'[A-Za-z_][A-Za-z0-9_]*',
                               first_code(row['type']))
            if not words or words[0] != want:
                self.problem(where, 'documented type %r, registry type %s '
                             '(write %r)' % (row['type'], vtype, want))

            # range
            if vtype in NUMERIC and 'range' in row:
                self.check_range(where, pspec, row['range'])

            # flags
            flags_text = row.get('flags', '') + ' ' + row['type']
            writable = bool(pspec.flags & gobject.ParamFlags.WRITABLE)
            doc_read_only = 'read-only' in flags_text
            if writable == doc_read_only:
                self.problem(where, 'registry says %s, the docs say %s'
                             % ('writable' if writable else 'read-only',
                                'read-only' if doc_read_only else
                                'writable (no "read-only" in Type or Flags)'))
            if 'flags' in row and gst is not None:
                mutable = bool(int(pspec.flags) & int(gst.PARAM_MUTABLE_PLAYING))
                if mutable != ('PLAYING' in row['flags']):
                    self.problem(where, 'registry says %schangeable in PLAYING, '
                                 'the Flags column says %r'
                                 % ('' if mutable else 'not ', row['flags']))
                ready = bool(int(pspec.flags) & int(gst.PARAM_MUTABLE_READY))
                if ready != ('READY' in row['flags']):
                    self.problem(where, 'registry says %sread at start '
                                 '(MUTABLE_READY), the Flags column says %r'
                                 % ('' if ready else 'not ', row['flags']))

        for pname, (lineno, row) in sorted(by_name.items()):
            self.problem('%s:%d' % (where_doc, lineno),
                         '%s has no property \'%s\' (stale row)' % (name, pname))

    def check_range(self, where, pspec, text):
        m = re.match(r'\s*`?\s*(-?[0-9]+|G_[A-Z0-9_]+)\s*\.\.\s*(-?[0-9]+|G_[A-Z0-9_]+)',
                     text)
        if not m:
            self.problem(where, 'the Range column %r does not start with MIN..MAX '
                         '(registry: %s..%s)' % (text, pspec.minimum, pspec.maximum))
            return
        try:
            lo, hi = number(m.group(1)), number(m.group(2))
        except (ValueError, KeyError):
            self.problem(where, 'cannot read the range %r' % text)
            return
        if (lo, hi) != (pspec.minimum, pspec.maximum):
            self.problem(where, 'documented range %d..%d, registry range %s..%s'
                         % (lo, hi, pspec.minimum, pspec.maximum))


def same_default(vtype, doc, reg):
    if vtype == 'gboolean':
        return doc is not None and bool(doc) == bool(reg) and \
            isinstance(doc, bool)
    if vtype in NUMERIC:
        return doc is not None and not isinstance(doc, bool) and doc == reg
    # strings, boxed, objects
    return doc == reg


def show(v):
    if v is None:
        return 'NULL'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, str):
        return '"%s"' % v
    return str(v)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--')]
    check_lib = '--lib' in argv[1:]
    if len(args) != 2:
        print(__doc__)
        return 2
    elements_md, libmctx_md = args

    try:
        import gi
        gi.require_version('Gst', '1.0')
        from gi.repository import GObject, Gst
    except (ImportError, ValueError) as e:
        print('SKIP: no GStreamer Python bindings (%s)' % e)
        return SKIP
    Gst.init(None)

    checker = Checker()
    tables = parse_tables(elements_md)
    for factory_name in ('mctxsink', 'mctxsrc'):
        factory = Gst.ElementFactory.find(factory_name)
        if factory is None:
            checker.problem(factory_name, 'not in the registry (GST_PLUGIN_PATH=%s)'
                            % os.environ.get('GST_PLUGIN_PATH'))
            continue
        checker.check_table(tables, factory_name, factory.load().get_element_type(),
                            elements_md, GObject, Gst)

    if check_lib:
        try:
            gi.require_version('Mctx', '0.1')
            from gi.repository import Mctx
        except (ImportError, ValueError) as e:
            checker.problem('Mctx', 'cannot load the typelib (%s; GI_TYPELIB_PATH=%s)'
                            % (e, os.environ.get('GI_TYPELIB_PATH')))
        else:
            checker.check_lib_types(libmctx_md, (
                ('MctxPublication', Mctx.Publication),
                ('MctxSubscription', Mctx.Subscription),
                ('MctxPacer', Mctx.Pacer),
                ('MctxMerger', Mctx.Merger),
                ('MctxRedundantSubscription', Mctx.RedundantSubscription),
                ('MctxSapAnnouncer', Mctx.SapAnnouncer),
                ('MctxSapListener', Mctx.SapListener)), GObject)
    else:
        print('note: libmctx not checked (introspection data not built)')
    return checker.report()


if __name__ == '__main__':
    sys.exit(main(sys.argv))
