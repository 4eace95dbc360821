"""The hub's own secrets, kept in the ``settings`` table: drawn once, then kept."""
import secrets


class Settings:
    """The settings table: the session secret and the inspection secret."""

    def __init__(self, conn):
        self.conn = conn

    def secret_key(self):
        """The hub's session secret, generated once and kept in the database."""
        return self._secret("secret_key")

    def inspection_secret(self):
        """The hub's secret that draws the random inspection times: not in the source, so never foreseen."""
        return self._secret("inspection_secret")

    def _secret(self, name):
        """The setting *name*: 32 random bytes (hex) drawn with ``secrets`` on first use, then kept."""
        with self.conn.transaction():
            self.conn.execute("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                              (name, secrets.token_hex(32)))
            return self.conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()[0]
