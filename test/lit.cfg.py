# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QAPEFT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".yaml", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qapeft_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%qapeft_src", config.qapeft_src_root))
config.substitutions.append(("%targets", config.qapeft_targets_dir))
config.substitutions.append(("%qapeft_bin", config.qapeft_tools_dir))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.qapeft_tools_dir, config.llvm_tools_dir]
tools = ["qapeft-opt", "qapeft-target", "qapeft-sim", "qapeft-translate", "qapeft-data", "mlir-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.qapeft_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# The real TFLite interpreter (scripts/setup-tflite-runtime.sh installs it);
# tests that run it say "REQUIRES: tflite-runtime".
import shutil
tflite_runtime = os.environ.get("QAPEFT_TFLITE_RUNTIME") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
    "qapeft", "tflite-runtime")
tflite_runner = os.path.join(config.qapeft_src_root, "tools", "tflite-runner", "tflite-runner.js")
if shutil.which("node") and os.path.exists(os.path.join(
        tflite_runtime, "node_modules", "@tensorflow", "tfjs-tflite", "wasm",
        "tflite_web_api_cc_simd.wasm")):
    config.available_features.add("tflite-runtime")
config.substitutions.append(
    ("%tflite-runner", "node %s --runtime %s" % (tflite_runner, tflite_runtime)))
