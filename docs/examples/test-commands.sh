bash scripts/demo.sh    # the seed's flow: PHP extension + bundled Zoho accounts emulator, step by step
bash scripts/test.sh    # every test: Rust, emulator, PHP, C/C++/ASan/valgrind, Python, PHP FFI, CLI, the docs
