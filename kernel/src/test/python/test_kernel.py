"""Protocol conformance of the dlkit Java kernel: Debian's jupyter_kernel_test suite, in full.

Run with /usr/bin/python3 (environment/test-kernel.sh does). The kernelspec is dlkit-java,
or $DLKIT_KERNEL_NAME.
"""
import os
import unittest

import jupyter_kernel_test


class DlkitJavaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "System.out.printl", "matches": {"println("}},
        {"text": "Math.sqr", "matches": {"sqrt("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", 'System.out.println("hi");',
                             "for (int i = 0; i < 3; i++) { }", "%jars /tmp\n1"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int y = (1 +", "class A {"]
    invalid_code_samples = ["int x = 1 +;)", "}}}"]

    code_display_data = [
        {"code": 'display("hi")', "mime": "text/plain"},
        {"code": 'display("<b>hi</b>", "text/html")', "mime": "text/html"},
    ]

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "ab"},
        {"code": "new ai.djl.ndarray.types.Shape(2, 3)", "result": "Shape(2, 3)"},
        {"code": "new int[] {1, 2, 3}", "result": "int[3] { 1, 2, 3 }"},
        {"code": 'new String[][] {{"a"}, {}}', "result": 'String[2][] { String[1] { "a" }, String[0] {} }'},
    ]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_inspect_sample = "Math.max"


if __name__ == "__main__":
    unittest.main(verbosity=2)
