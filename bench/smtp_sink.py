"""An SMTP sink in its own process for the benchmarks (aiosmtpd on loopback): accepts everything and
writes one line per recipient to a file. usage: python -m bench.smtp_sink PORT FILE"""

import sys
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - open for the process's life

    async def handle_DATA(self, server, session, envelope):
        self.file.write("".join(f"{address}\n" for address in envelope.rcpt_tos))
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
