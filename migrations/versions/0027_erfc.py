"""rastro_erfc(x): the complementary error function, the same double as Python's math.erfc (A/B z-test).

PostgreSQL 15 has no erfc, and the compiled read path answers abTests in SQL (issue 13). This is the
algorithm of fdlibm's s_erf.c erfc with the operation order glibc compiles, so each value is the very double
glibc's erfc (CPython's math.erfc) returns: tests/analytics/test_erfc.py compares them bit for bit.
PostgreSQL's exp is the C library's, as in glibc's erfc; a float8 underflow to zero is an error in
PostgreSQL, so where C would round to zero the function answers 0 before it gets there.

Coefficients from fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at
SunPro, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software is
freely granted, provided that this notice is preserved.

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ERFC = """
CREATE FUNCTION rastro_erfc(x float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    a float8 := abs(x);
    s float8;
    p float8;
    q float8;
    z float8;
    r float8;
BEGIN
    -- NaN compares above every number in PostgreSQL: answered before the ranges.
    IF x = 'NaN' THEN
        RETURN x;
    ELSIF a < 1.3877787807814457e-17 THEN  -- 2^-56
        RETURN 1 - x;
    ELSIF a < 0.84375 THEN
        s := x * x;
        p := (1.28379167095512558561e-01 + s * -3.25042107247001499370e-01)
            + (s * s) * (-2.84817495755985104766e-02 + s * -5.77027029648944159157e-03)
            + ((s * s) * (s * s)) * -2.37630166566501626084e-05;
        q := (1 + s * 3.97917223959155352819e-01)
            + (s * s) * (6.50222499887672944485e-02 + s * 5.08130628187576562776e-03)
            + ((s * s) * (s * s)) * (1.32494738004321644526e-04 + s * -3.96022827877536812320e-06);
        IF x < 0.25 THEN
            RETURN 1 - (x + x * (p / q));
        END IF;
        RETURN 0.5 - (x * (p / q) + (x - 0.5));
    ELSIF a < 1.25 THEN
        s := a - 1;
        p := (-2.36211856075265944077e-03 + s * 4.14856118683748331666e-01)
            + (s * s) * (-3.72207876035701323847e-01 + s * 3.18346619901161753674e-01)
            + ((s * s) * (s * s)) * (-1.10894694282396677476e-01 + s * 3.54783043256182359371e-02)
            + (((s * s) * (s * s)) * (s * s)) * -2.16637559486879084300e-03;
        q := (1 + s * 1.06420880400844228286e-01)
            + (s * s) * (5.40397917702171048937e-01 + s * 7.18286544141962662868e-02)
            + ((s * s) * (s * s)) * (1.26171219808761642112e-01 + s * 1.36370839120290507362e-02)
            + (((s * s) * (s * s)) * (s * s)) * 1.19844998467991074170e-02;
        IF x >= 0 THEN
            RETURN (1 - 8.45062911510467529297e-01) - p / q;
        END IF;
        RETURN 1 + (8.45062911510467529297e-01 + p / q);
    ELSIF x >= 28 OR x = '-Infinity' THEN
        RETURN CASE WHEN x > 0 THEN 0 ELSE 2 END;
    ELSIF x <= -6 THEN
        RETURN 2;
    END IF;
    s := 1 / (a * a);
    IF a < 2.8571414947509766 THEN
        p := (-9.86494403484714822705e-03 + s * -6.93858572707181764372e-01)
            + (s * s) * (-1.05586262253232909814e+01 + s * -6.23753324503260060396e+01)
            + ((s * s) * (s * s)) * (-1.62396669462573470355e+02 + s * -1.84605092906711035994e+02)
            + (((s * s) * (s * s)) * (s * s))
              * (-8.12874355063065934246e+01 + s * -9.81432934416914548592e+00);
        q := (1 + s * 1.96512716674392571292e+01)
            + (s * s) * (1.37657754143519042600e+02 + s * 4.34565877475229228821e+02)
            + ((s * s) * (s * s)) * (6.45387271733267880336e+02 + s * 4.29008140027567833386e+02)
            + (((s * s) * (s * s)) * (s * s)) * (1.08635005541779435134e+02 + s * 6.57024977031928170135e+00)
            + (((s * s) * (s * s)) * ((s * s) * (s * s))) * -6.04244152148580987438e-02;
    ELSE
        p := (-9.86494292470009928597e-03 + s * -7.99283237680523006574e-01)
            + (s * s) * (-1.77579549177547519889e+01 + s * -1.60636384855821916062e+02)
            + ((s * s) * (s * s)) * (-6.37566443368389627722e+02 + s * -1.02509513161107724954e+03)
            + (((s * s) * (s * s)) * (s * s)) * -4.83519191608651397019e+02;
        q := (1 + s * 3.03380607434824582924e+01)
            + (s * s) * (3.25792512996573918826e+02 + s * 1.53672958608443695994e+03)
            + ((s * s) * (s * s)) * (3.19985821950859553908e+03 + s * 2.55305040643316442583e+03)
            + (((s * s) * (s * s)) * (s * s))
              * (4.74528541206955367215e+02 + s * -2.24409524465858183362e+01);
    END IF;
    -- a with the low 32 bits of its significand cleared: a multiple of 2^-20 times a's power of two.
    z := CASE WHEN a < 2 THEN 9.5367431640625e-07 WHEN a < 4 THEN 1.9073486328125e-06
              WHEN a < 8 THEN 3.814697265625e-06 WHEN a < 16 THEN 7.62939453125e-06
              ELSE 1.52587890625e-05 END;
    z := trunc(a / z) * z;
    IF -z * z - 0.5625 < -745.1 THEN  -- exp would underflow to 0 (an error in PostgreSQL), and so would erfc
        RETURN 0;
    END IF;
    r := exp(-z * z - 0.5625) * exp((z - a) * (z + a) + p / q);
    IF x < 0 THEN
        RETURN 2 - r / a;
    ELSIF r * 1.0715086071862673e+301 <= a * 2.6469779601696886e-23 THEN  -- r/a below half 2^-1074: 0
        RETURN 0;
    END IF;
    RETURN r / a;
END
$$;
"""


def upgrade() -> None:
    run_script(ERFC)


def downgrade() -> None:
    run_script("DROP FUNCTION rastro_erfc(float8);")
