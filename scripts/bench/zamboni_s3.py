"""`zamboni compact --rewrite-all` of one table in a SQL catalog whose warehouse is on S3 (for scripts/bench-s3).

zamboni's command line reaches REST catalogs or local filesystem warehouses only; its Python API takes any PyIceberg
catalog. This runs the command line with its catalog session built from PyIceberg's `load_catalog` properties (argv[1],
JSON) and zamboni's own S3 settings made from the same properties, so that it reads and writes through the same
catalog and server as amoro. Usage: zamboni_s3.py PROPERTIES_JSON TABLE
"""
import json
import sys

import zamboni.cli as cli
from pyiceberg.catalog import load_catalog
from zamboni.session import CatalogSession, S3Settings

properties, table = json.loads(sys.argv[1]), sys.argv[2]


def session(_arguments):
    storage = S3Settings(endpoint=properties["s3.endpoint"], access_key_id=properties["s3.access-key-id"],
                         secret_access_key=properties["s3.secret-access-key"], region=properties.get("s3.region", "us-east-1"))
    return CatalogSession.from_catalog(load_catalog("default", **properties), storage=storage, threads=2)


cli._session_from = session
# --local-warehouse only satisfies the parser; the session above replaces the one it would name.
sys.exit(cli.main(["compact", "--local-warehouse", "unused", "--threads", "2", "--rewrite-all", "--yes", table]))
