"""Bad messages on the shell and control sockets are logged and dropped; the kernel goes on serving.
Run with /usr/bin/python3 (environment/test-kernel.sh does)."""
import hashlib
import hmac
import json
import os
import random
import time
import unittest
import uuid

import zmq
from jupyter_client.manager import KernelManager

from test_robustness import execute

KERNEL = os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java")
DELIMITER = b"<IDS|MSG>"
PER_KIND = 120  # messages of each kind, on each of the two sockets


def header(msg_type):
    return {"msg_id": uuid.uuid4().hex, "session": "fuzz", "username": "fuzz", "date": "2026-01-01T00:00:00Z",
            "msg_type": msg_type, "version": "5.3"}


class FuzzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km = KernelManager(kernel_name=KERNEL)
        cls.km.start_kernel()
        cls.kc = cls.km.client()
        cls.kc.start_channels()
        cls.kc.wait_for_ready(timeout=60)
        info = cls.km.get_connection_info()
        cls.key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
        cls.context = zmq.Context()
        cls.sockets = {}
        for name in ("shell", "control"):
            s = cls.context.socket(zmq.DEALER)
            s.setsockopt(zmq.LINGER, 0)
            s.setsockopt(zmq.SNDHWM, 100000)
            s.connect(f"{info['transport']}://{info['ip']}:{info[name + '_port']}")
            cls.sockets[name] = s
        cls.sent = 0

    @classmethod
    def tearDownClass(cls):
        for s in cls.sockets.values():
            s.close()
        cls.context.term()
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def sign(self, *parts):
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        return mac.hexdigest().encode()

    def signed(self, msg_type, content, head=None):
        h = json.dumps(head or header(msg_type)).encode()
        c = json.dumps(content).encode()
        return [DELIMITER, self.sign(h, b"{}", b"{}", c), h, b"{}", b"{}", c]

    def burst(self, make):
        rng = random.Random(7)
        for name, socket in self.sockets.items():
            for i in range(PER_KIND):
                socket.send_multipart(make(rng, i))
                FuzzTest.sent += 1

    def assert_serving(self):
        """A correctly signed request is still answered, on shell and on control."""
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=20)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        reply, outputs = execute(self.kc, "21 * 2", timeout=30)
        self.assertEqual(reply["status"], "ok", outputs)
        self.assertEqual([c["data"]["text/plain"] for t, c in outputs if t == "execute_result"], ["42"])

    def code(self, i):
        return {"code": f'System.setProperty("fuzzed", "{i}")', "silent": False, "store_history": True,
                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}

    def test_1_no_signature(self):
        def make(rng, i):
            m = self.signed("execute_request", self.code(i))
            m[1] = b""
            return m
        self.burst(make)
        self.assert_serving()

    def test_2_wrong_signature(self):
        def make(rng, i):
            m = self.signed("execute_request", self.code(i))
            m[1] = bytes(rng.choice(b"0123456789abcdef") for _ in range(64))
            return m
        self.burst(make)
        self.assert_serving()

    def test_3_wrong_frame_counts(self):
        def make(rng, i):
            m = self.signed("kernel_info_request", {})
            kind = i % 4
            if kind == 0:
                return m[:rng.randint(1, 5)]          # too few frames after the delimiter
            if kind == 1:
                return m[1:]                          # no delimiter at all
            if kind == 2:
                return [b"id"] * rng.randint(1, 5)    # identities only
            return [DELIMITER]
        self.burst(make)
        self.assert_serving()

    def test_4_bad_json(self):
        def make(rng, i):
            h = b"{not json" if i % 2 == 0 else json.dumps(header("execute_request")).encode()
            c = b"[1, 2" if i % 2 == 1 else b"{}"
            return [DELIMITER, self.sign(h, b"{}", b"{}", c), h, b"{}", b"{}", c]
        self.burst(make)
        self.assert_serving()

    def test_5_unknown_types_and_garbage(self):
        def make(rng, i):
            if i % 2 == 0:
                return self.signed("no_such_request", {"x": i})
            return [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64))) for _ in range(rng.randint(1, 9))]
        self.burst(make)
        self.assert_serving()

    def test_6_oversized_frames(self):
        big = b"x" * (65 << 20)  # above the kernel's 64 MB limit
        for socket in self.sockets.values():
            h = json.dumps(header("execute_request")).encode()
            socket.send_multipart([DELIMITER, self.sign(h, b"{}", b"{}", big), h, b"{}", b"{}", big])
            FuzzTest.sent += 1
        time.sleep(1)
        self.assert_serving()

    def test_7_nothing_unsigned_ran(self):
        reply, outputs = execute(self.kc, 'String.valueOf(System.getProperty("fuzzed"))', timeout=30)
        self.assertEqual([c["data"]["text/plain"] for t, c in outputs if t == "execute_result"], ["null"])
        self.assertGreaterEqual(FuzzTest.sent, 1000, "run the whole class: tests 1-6 send the messages")


if __name__ == "__main__":
    unittest.main(verbosity=2)
