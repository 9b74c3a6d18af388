import json
import logging

from portal.logs import JsonFormatter


def test_each_request_gets_an_id_and_a_log_line_without_personal_data(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.request")
    response = client.get("/about?email=someone@example.com", headers={"X-Request-ID": "abc12345-from-lb"})
    assert response.headers["X-Request-ID"] == "abc12345-from-lb"
    [record] = [r for r in caplog.records if r.name == "portal.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["route"].startswith("/<any(about,")  # the URL rule, not the path asked for
    assert line["status"] == 200
    assert "someone@example.com" not in json.dumps(line)


def test_an_unsafe_incoming_request_id_is_replaced(client):
    response = client.get("/", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32
