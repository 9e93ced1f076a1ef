# -*- Python -*-
import os
import lit.formats

config.name = "QAPEFT-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.qapeft_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest("bin", "Tests")
