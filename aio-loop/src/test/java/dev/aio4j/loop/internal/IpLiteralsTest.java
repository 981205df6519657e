package dev.aio4j.loop.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one IP-literal rule (issue 11: getaddrinfo, SNI and the cookie jar used to disagree).
 * aio4j-only: the table mixes RFC 4291 section 2.2's text forms, RFC 6874 zone ids, and the
 * look-alikes that a sloppy test accepts.
 */
class IpLiteralsTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                                 | true
            0.0.0.0                                   | true
            255.255.255.255                           | true
            192.168.0.1                               | true
            256.0.0.1                                 | false
            1.2.3                                     | false
            1.2.3.4.5                                 | false
            1.2.3.                                    | false
            .1.2.3                                    | false
            1..2.3                                    | false
            01.2.3.4                                  | false
            1.2.3.4a                                  | false
            1.2.3.4.example                           | false
            example.com                               | false
            localhost                                 | false
            123                                       | false
            -1.2.3.4                                  | false
            ::                                        | true
            ::1                                       | true
            1::                                       | true
            2001:db8::1                               | true
            2001:DB8:0:0:8:800:200C:417A              | true
            2001:db8:0:0:8:800:200c:417a:1            | false
            2001:db8:0:0:8:800:200c                   | false
            1:2:3:4:5:6:7::                           | true
            ::2:3:4:5:6:7:8                           | true
            1:2:3:4:5:6:7:8::                         | false
            ff01::101                                 | true
            ::13.1.68.3                               | true
            ::ffff:129.144.52.38                      | true
            ::ffff:129.144.52                         | false
            ::ffff:1.2.3.4:5                          | false
            1::2::3                                   | false
            :1:2:3:4:5:6:7                            | false
            1:2:3:4:5:6:7:                            | false
            12345::1                                  | false
            ::g                                       | false
            fe80::1%eth0                              | true
            fe80::1%25eth0                            | true
            fe80::1%                                  | false
            [::1]                                     | true
            [2001:db8::1]                             | true
            [fe80::1%eth0]                            | true
            []                                        | false
            [::1                                      | false
            [127.0.0.1]                               | false
            :                                         | false
            :::                                       | false
            a:b                                       | false
            """)
    void table(String host, boolean literal) {
        assertEquals(literal, IpLiterals.isIpLiteral(host), host);
    }

    @org.junit.jupiter.api.Test
    void emptyAndNullAreNames() {
        assertEquals(false, IpLiterals.isIpLiteral(""));
        assertEquals(false, IpLiterals.isIpLiteral(null));
    }

    /** Whatever the JDK prints for an address is a literal by our rule. */
    @Property
    void everyAddressTheJdkPrintsIsALiteral(@ForAll @Size(4) byte[] v4, @ForAll @Size(16) byte[] v6) throws Exception {
        String a = InetAddress.getByAddress(v4).getHostAddress();
        String b = InetAddress.getByAddress(v6).getHostAddress();
        assertTrue(IpLiterals.isIpLiteral(a), a);
        assertTrue(IpLiterals.isIpLiteral(b), b);
        assertTrue(IpLiterals.isIpLiteral("[" + b + "]"), b);
    }

    /** Collapsing the longest run of zero groups to "::" (RFC 5952) keeps it a literal. */
    @Property
    void compressedIpv6IsALiteral(@ForAll @Size(8) short[] groups, @ForAll boolean zeroRun) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = groups[i] & 0xFFFF;
        }
        if (zeroRun) {
            g[2] = g[3] = g[4] = 0;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart && bestLen > 1) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        assertTrue(IpLiterals.isIpLiteral(sb.toString()), sb.toString());
    }
}
