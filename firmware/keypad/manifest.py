metadata(description="HallPost evaluation keypad: five rating keys over USB serial", version="1.0.0")

# Only MicroPython built-ins are used (machine, select, sys, time, binascii): nothing from micropython-lib.
module("keys.py")
module("lamps.py")
module("rating.py")
module("usb_link.py")
module("board.py")
package("protocol", files=("__init__.py", "serial.py"), base_path="../..")
