metadata(description="HallPost evaluation keypad: five rating keys over USB serial", version="1.1.0")

# micropython-lib's usb-device-cdc gives the frames their own USB serial port (needs MicroPython >= 1.23
# with machine.USBDevice); without it the firmware falls back to the REPL console (link.py).
require("usb-device-cdc")
module("keys.py")
module("lamps.py")
module("rating.py")
module("usb_link.py")
module("cdc_link.py")
module("link.py")
module("board.py")
package("protocol", files=("__init__.py", "serial.py"), base_path="../..")
