"""Bad input is normal input: one clear line naming the file and the place, never a traceback."""

import io
import json
import subprocess
import sys
import zipfile

import pytest

import procmap
from procmap import ReadError
from conftest import CORPUS

GOOD = CORPUS / "bpmn-miwg-test-suite/Reference/C.1.0.bpmn"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _read_error(path) -> str:
    with pytest.raises(ReadError) as info:
        procmap.read(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_missing_file(tmp_path):
    assert "file not found" in _read_error(tmp_path / "nope.bpmn")


def test_empty_file(tmp_path):
    assert "empty" in _read_error(_write(tmp_path, "empty.bpmn", b""))


def test_not_xml(tmp_path):
    assert "not XML" in _read_error(_write(tmp_path, "text.bpmn", "just some words\n"))


def test_truncated_xml_names_line_and_column(tmp_path):
    data = GOOD.read_bytes()
    path = _write(tmp_path, "cut.bpmn", data[: len(data) // 2])
    message = _read_error(path)
    assert "truncated" in message
    assert f"{path}:" in message and message.split(":")[1].isdigit()


def test_broken_xml_names_line(tmp_path):
    path = _write(tmp_path, "broken.bpmn", '<?xml version="1.0"?>\n<definitions>\n  <process id="a">\n</definitions>\n')
    message = _read_error(path)
    assert f"{path}:4:" in message and "broken" in message


def test_html_saved_as_bpmn(tmp_path):
    assert "HTML page" in _read_error(_write(tmp_path, "page.bpmn", "<!DOCTYPE html><html><body>hi</body></html>"))


def test_zip_saved_as_bpmn(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("model.bpmn", GOOD.read_bytes())
    assert "zip archive" in _read_error(_write(tmp_path, "model.bpmn", buf.getvalue()))


def test_binary_junk(tmp_path):
    assert "binary" in _read_error(_write(tmp_path, "junk.bpmn", bytes(range(256)) * 8))


def test_xml_bomb_is_refused_without_expanding(tmp_path):
    bomb = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '<!ENTITY lol "lol">']
    for i in range(1, 10):
        bomb.append(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">')
    bomb += [']>', '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol9;</definitions>']
    assert "entities" in _read_error(_write(tmp_path, "bomb.bpmn", "\n".join(bomb)))


def test_external_entity_is_never_fetched(tmp_path):
    secret = _write(tmp_path, "secret.txt", "TOP SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&x;"/>'
           '</definitions>')
    message = _read_error(_write(tmp_path, "xxe.bpmn", xxe))
    assert "TOP SECRET" not in message and "entities" in message


def test_file_over_the_size_limit(tmp_path):
    path = _write(tmp_path, "big.bpmn", b"<definitions/>")
    with open(path, "r+b") as fh:  # a sparse 200 MB file: costs no disk
        fh.truncate(200 * 1024 * 1024)
    message = _read_error(path)
    assert "200 MB" in message or "210 MB" in message
    assert "limit" in message


def test_xml_that_is_not_a_process_model(tmp_path):
    assert "not a process model" in _read_error(_write(tmp_path, "pom.xml", "<project><name>x</name></project>"))


def test_folder_instead_of_file(tmp_path):
    assert "folder" in _read_error(tmp_path)


def test_bytes_and_file_objects_are_accepted():
    data = GOOD.read_bytes()
    assert procmap.read(data).lanes == procmap.read(io.BytesIO(data)).lanes == procmap.read(GOOD).lanes


def test_utf8_bom_and_latin1_and_no_declaration(tmp_path):
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<process name="S\xf8knad"><lane name="S\xf8ker">' \
            '<task name="Fyll ut"/></lane></process>'
    model = procmap.read(_write(tmp_path, "l.xml", latin.encode("latin-1")))
    assert model.name == "Søknad" and model.lanes[0].name == "Søker"
    bom = b"\xef\xbb\xbf" + '<process name="Æ"><lane name="Å"><task name="ø"/></lane></process>'.encode()
    assert procmap.read(_write(tmp_path, "b.xml", bom)).tasks[0].name == "ø"


def test_cli_several_files_one_bad_does_not_stop_the_others(tmp_path):
    bad = _write(tmp_path, "bad.bpmn", "<definitions")
    result = subprocess.run([sys.executable, "-m", "procmap", "inspect", str(bad), str(GOOD)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    err_lines = result.stderr.strip().splitlines()
    assert len(err_lines) == 1 and str(bad) in err_lines[0]
    assert "Accountant" in result.stdout  # the good file was still read


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02", b"<definitions", b"PK\x03\x04junk"])
def test_cli_bad_file_is_one_line_no_traceback(tmp_path, content):
    path = _write(tmp_path, "x.bpmn", content)
    result = subprocess.run([sys.executable, "-m", "procmap", "inspect", "--json", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert json.loads(result.stdout) == {"file": str(path), "error": result.stderr.strip()[len("procmap: "):]}
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_cli_json_keeps_one_entry_per_file_in_order(tmp_path):
    bad = _write(tmp_path, "bad.bpmn", "<definitions")
    result = subprocess.run([sys.executable, "-m", "procmap", "inspect", "--json", str(bad), str(GOOD)],
                            capture_output=True, text=True)
    entries = json.loads(result.stdout)
    assert result.returncode == 2 and [e["file"] for e in entries] == [str(bad), str(GOOD)]
    assert "the XML is broken" in entries[0]["error"] and entries[1]["processes"]


MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def test_an_empty_lane_and_a_file_without_a_process_are_read_and_said(tmp_path):
    lanes = _write(tmp_path, "lanes.bpmn", f'<definitions xmlns="{MODEL_NS}" id="d"><process id="p">'
                   '<laneSet id="ls"><lane id="a" name="Saksbehandler"><flowNodeRef>t</flowNodeRef></lane>'
                   '<lane id="b" name="Arkiv"/></laneSet><task id="t" name="Registrer"/></process></definitions>')
    model = procmap.read(lanes)
    assert [w for w in model.warnings if "empty" in w] == [f"{lanes}:1 [b]: lane 'Arkiv' is empty"]
    bare = _write(tmp_path, "bare.bpmn", f'<definitions xmlns="{MODEL_NS}" id="d">\n'
                  '<collaboration id="c"><participant id="x" name="Innbygger"/></collaboration></definitions>')
    model = procmap.read(bare)
    assert not model.processes and any("holds no process" in w for w in model.warnings)


def test_size_limit_message_shows_sizes_that_differ(tmp_path):
    path = _write(tmp_path, "small.bpmn", "<definitions/>" + " " * 3000)
    with pytest.raises(ReadError, match=r"file is 0.00301 MB, over the 0.001 MB limit"):
        procmap.read(path, max_bytes=1000)
