cmake_minimum_required(VERSION 3.20)
# Writes grub.cfg from iso/grub.cfg.in (TEMPLATE -> OUT) with the kernel arguments filled in.
file(READ "${TEMPLATE}" cfg)
string(REPLACE "@KERNEL_ARGS@" "${KERNEL_ARGS}" cfg "${cfg}")
string(REPLACE " \n" "\n" cfg "${cfg}")
file(WRITE "${OUT}" "${cfg}")
