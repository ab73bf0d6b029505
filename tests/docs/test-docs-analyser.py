#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the MctxStreamAnalyser property table of docs/libmctx.md against
the registry (through GObject introspection), with the same rules as
test-docs-properties.py, whose checker it uses.

usage: test-docs-analyser.py LIBMCTX_MD
GI_TYPELIB_PATH and LD_LIBRARY_PATH point at the build. Exits 1 on a
problem, 77 (skip) without the GObject Python bindings.
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    spec = importlib.util.spec_from_file_location(
        'docs_props', os.path.join(HERE, 'test-docs-properties.py'))
    props = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(props)
    try:
        import gi
        gi.require_version('Mctx', '0.1')
        from gi.repository import GObject, Mctx
    except (ImportError, ValueError) as e:
        print('SKIP: %s' % e)
        return 77
    checker = props.Checker()
    checker.check_lib_types(argv[1], (('MctxStreamAnalyser', Mctx.StreamAnalyser),),
                            GObject)
    return checker.report()


if __name__ == '__main__':
    sys.exit(main(sys.argv))
