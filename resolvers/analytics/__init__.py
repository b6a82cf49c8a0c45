"""Analytics reports: each module builds one SQL statement; `statement.run` executes it."""
