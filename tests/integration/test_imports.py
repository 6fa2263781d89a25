"""CSV imports on a real PostgreSQL: what goes in, what is reported, and that a bad file stores nothing."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from oms.db.tables import inventory, nodes, products
from oms.services.errors import Forbidden
from oms.services.imports import ImportFileError, RowError, import_rows, read_csv
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, VIEWER, add_network, set_stock

CATALOG_HEADER = "sku,name,description,unit_price,currency,barcode,weight_kg\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run(engine, kind: str, path: Path, skip_invalid: bool = False, actor=ADMIN):
    return import_rows(UnitOfWork(engine), actor, kind, read_csv(path, kind), skip_invalid)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_good_catalog_file_goes_in_whole(engine, tmp_path):
    path = write(
        tmp_path, CATALOG_HEADER + "TSH-1,Tee,Soft tee,24.90,EUR,4006381333931,0.18\nCAP-1,Cap,,22.9,EUR,,\n"
    )
    report = run(engine, "catalog", path)
    assert (report.rows, report.imported, report.changed, report.errors) == (2, 2, 2, [])
    with engine.connect() as conn:
        cap = conn.execute(select(products).where(products.c.sku == "CAP-1")).one()
    assert cap.barcode is None and cap.description == "" and float(cap.weight_kg) == 0


def test_importing_the_same_file_again_changes_nothing(engine, tmp_path):
    path = write(tmp_path, CATALOG_HEADER + "TSH-1,Tee,Soft tee,24.90,EUR,4006381333931,0.18\n")
    run(engine, "catalog", path)
    again = run(engine, "catalog", path)
    assert (again.imported, again.changed) == (1, 0)


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_stored(engine, tmp_path):
    path = write(
        tmp_path,
        CATALOG_HEADER
        + "TSH-1,Tee,,24.90,EUR,,\n"  # row 2: good
        + "TSH-2,Tee,,-3,eur,,\n"  # row 3: two bad cells
        + "TSH-3,Tee,,9.90,EUR,4006381333932,\n"  # row 4: wrong check digit
        + "TSH-1,Tee again,,9.90,EUR,,\n",  # row 5: repeats row 2's SKU, reported once the cells are valid
    )
    report = run(engine, "catalog", path)
    assert [(e.row, e.column) for e in report.errors] == [(3, "currency"), (3, "unit_price"), (4, "barcode")]
    assert report.imported == 0 and count(engine, products) == 0


def test_repeated_keys_are_reported_once_the_cells_are_valid(engine, tmp_path):
    path = write(tmp_path, CATALOG_HEADER + "TSH-1,Tee,,24.90,EUR,,\nTSH-1,Tee again,,9.90,EUR,,\n")
    report = run(engine, "catalog", path)
    assert [(e.row, e.column) for e in report.errors] == [(3, "sku")]
    assert count(engine, products) == 0


def test_skip_invalid_imports_the_good_rows_and_still_reports_the_bad(engine, tmp_path):
    path = write(tmp_path, CATALOG_HEADER + "TSH-1,Tee,,24.90,EUR,,\nTSH-2,,,1,EUR,,\nTSH-1,Again,,1,EUR,,\n")
    report = run(engine, "catalog", path, skip_invalid=True)
    assert report.errors == [
        RowError(3, "name", "Field required"),
        RowError(4, "sku", "SKU 'TSH-1' is given more than once"),
    ]
    assert (report.imported, count(engine, products)) == (1, 1)


def test_unknown_nodes_and_skus_in_stock_rows_are_row_errors(engine, tmp_path):
    add_network(engine)
    path = write(
        tmp_path,
        "node_id,sku,on_hand,safety_stock\nWH-LYON,TSH-BLU-L,10,2\nWH-MARS,TSH-BLU-L,1,0\nWH-LYON,NOPE,1,0\n",
    )
    report = run(engine, "inventory", path)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "node_id", "unknown node 'WH-MARS'"),
        (4, "sku", "unknown SKU 'NOPE'"),
    ]
    assert count(engine, inventory) == 0
    assert run(engine, "inventory", path, skip_invalid=True).imported == 1
    assert count(engine, inventory) == 1


def test_a_stock_import_keeps_reserved_units(engine, tmp_path):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10, reserved=4)
    run(engine, "inventory", write(tmp_path, "node_id,sku,on_hand,safety_stock\nWH-LYON,TSH-BLU-L,6,1\n"))
    with engine.connect() as conn:
        position = conn.execute(select(inventory)).one()
    assert (position.on_hand, position.reserved, position.safety_stock) == (6, 4, 1)


def test_nodes_import_reads_fulfilment_types_separated_by_bars(engine, tmp_path):
    path = write(
        tmp_path,
        "id,name,type,line1,postal_code,city,country,lat,lon,timezone,cutoff_time,fulfilment_types\n"
        "ST-LILLE,Store Lille,store,31 rue Neuve,59800,Lille,FR,50.6367,3.065,Europe/Paris,16:00,"
        "ship_from_store | pickup\n"
        "WH-X,Warehouse X,warehouse,1 road,1000,Town,FR,50,3,Mars/Olympus,14:00,ship\n",
    )
    report = run(engine, "nodes", path, skip_invalid=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "timezone")]
    with engine.connect() as conn:
        lille = conn.execute(select(nodes)).one()
    assert lille.fulfilment_types == ["pickup", "ship_from_store"] and lille.cutoff_time.hour == 16


def test_a_large_file_goes_in_by_batches(engine, tmp_path):
    lines = [f"SKU-{i:05d},Product {i},,{i % 100}.99,EUR,," for i in range(2500)]
    report = run(engine, "catalog", write(tmp_path, CATALOG_HEADER + "\n".join(lines) + "\n"))
    assert report.changed == 2500 and count(engine, products) == 2500


def test_a_missing_required_column_or_file_is_a_file_error(tmp_path):
    with pytest.raises(ImportFileError, match="currency"):
        read_csv(write(tmp_path, "sku,name,unit_price\nA,B,1\n"), "catalog")
    with pytest.raises(ImportFileError, match="No such file"):
        read_csv(tmp_path / "absent.csv", "catalog")


def test_unknown_columns_are_ignored_and_named(tmp_path):
    rows = read_csv(write(tmp_path, "sku,name,unit_price,currency,colour\nA,B,1,EUR,red\n"), "catalog")
    assert rows.ignored_columns == ["colour"]
    assert rows.rows == [(2, {"sku": "A", "name": "B", "unit_price": "1", "currency": "EUR"})]


def test_an_import_acts_with_the_actors_permissions(engine, tmp_path):
    with pytest.raises(Forbidden):
        run(engine, "catalog", write(tmp_path, CATALOG_HEADER + "TSH-1,Tee,,24.90,EUR,,\n"), actor=VIEWER)
