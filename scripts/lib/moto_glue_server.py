"""moto's server (S3, Glue and the rest on one port) with AWS Glue's behaviour where moto leaves it out, for tests.

Usage: python scripts/lib/moto_glue_server.py [moto_server arguments]   (run in the server's data directory)

- UpdateTable with a VersionId that is not the table's current version fails with ConcurrentModificationException,
  the optimistic check PyIceberg's and Java's Glue catalogs (and amoro's) rely on.
- GetTables and GetDatabases answer in pages of at most PAGE_SIZE items with a NextToken, so clients must follow it.
- Faults: `glue-faults.json` in the working directory maps an operation (UpdateTable, GetTable) to a list of faults,
  each used once: {"status": 500} answers HTTP 500 InternalServiceException without carrying the request out, and
  after doing so with "apply": true; "type" names another error (ThrottlingException with status 400);
  {"concurrent": true} (UpdateTable) has another writer update the table (same definition, next version) just before
  the request is checked.
"""
import json, os, sys

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.glue import responses
from moto.server import main

PAGE_SIZE = 2
FAULTS = "glue-faults.json"


class InjectedFault(JsonRESTError):
    def __init__(self, fault) -> None:
        super().__init__(fault.get("type", "InternalServiceException"), "injected by glue-faults.json")
        self.code = fault.get("status", 500)


def take_fault(operation):
    if not os.path.exists(FAULTS):
        return None
    with open(FAULTS) as file:
        faults = json.load(file)
    queue = faults.get(operation) or []
    if not queue:
        return None
    fault = queue.pop(0)
    with open(FAULTS + ".tmp", "w") as file:
        json.dump(faults, file)
    os.replace(FAULTS + ".tmp", FAULTS)
    return fault


original_update_table = responses.GlueResponse.update_table


def update_table(self):
    fault = take_fault("UpdateTable") or {}
    name = self._get_param("Name") or self._get_param("TableInput").get("Name")
    table = self.glue_backend.get_table(self._get_param("DatabaseName"), name)
    if fault.get("concurrent"):
        table.update(dict(table.get_version(str(table._current_version))))
        fault = {}
    if fault and not fault.get("apply"):
        raise InjectedFault(fault)
    version = self._get_param("VersionId")
    if version is not None:
        if str(table._current_version) != str(version):
            raise JsonRESTError("ConcurrentModificationException",
                                f"version {version} is not the current version {table._current_version} of {name}")
    result = original_update_table(self)
    if fault:
        raise InjectedFault(fault)
    return result


original_get_table = responses.GlueResponse.get_table


def get_table(self):
    fault = take_fault("GetTable")
    if fault:
        raise InjectedFault(fault)
    return original_get_table(self)


def page(self, items, key):
    start = int(self._get_param("NextToken") or 0)
    size = min(int(self._get_param("MaxResults") or PAGE_SIZE), PAGE_SIZE)
    answer = {key: items[start:start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return ActionResult(answer)


def get_tables(self):
    tables = self.glue_backend.get_tables(self._get_param("DatabaseName"), self._get_param("Expression"))
    return page(self, [table.as_dict() for table in tables], "TableList")


def get_databases(self):
    return page(self, [database.as_dict() for database in self.glue_backend.get_databases()], "DatabaseList")


responses.GlueResponse.update_table = update_table
responses.GlueResponse.get_table = get_table
responses.GlueResponse.get_tables = get_tables
responses.GlueResponse.get_databases = get_databases

if __name__ == "__main__":
    main(sys.argv[1:])
