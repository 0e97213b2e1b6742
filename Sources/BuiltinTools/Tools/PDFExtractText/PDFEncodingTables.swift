/// The single-byte encodings of simple fonts (PDF 32000-1 Annex D), code → Unicode (0: none),
/// and glyph names → Unicode for `/Differences` (the Adobe Glyph List for New Fonts plus the
/// legacy names these encodings use). Generated from the Adobe Glyph List; not edited by hand.
enum PDFEncodingTables {
    /// StandardEncoding, the default of Type 1 fonts.
    static let standard: [UInt16] = [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x2019, 0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
        0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
        0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, 0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
        0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
        0x2018, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
        0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x00A1, 0x00A2, 0x00A3, 0x2044, 0x00A5, 0x0192, 0x00A7, 0x00A4, 0x0027, 0x201C, 0x00AB, 0x2039, 0x203A, 0xFB01, 0xFB02,
        0x0000, 0x2013, 0x2020, 0x2021, 0x00B7, 0x0000, 0x00B6, 0x2022, 0x201A, 0x201E, 0x201D, 0x00BB, 0x2026, 0x2030, 0x0000, 0x00BF,
        0x0000, 0x0060, 0x00B4, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9, 0x00A8, 0x0000, 0x02DA, 0x00B8, 0x0000, 0x02DD, 0x02DB, 0x02C7,
        0x2014, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x00C6, 0x0000, 0x00AA, 0x0000, 0x0000, 0x0000, 0x0000, 0x0141, 0x00D8, 0x0152, 0x00BA, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x00E6, 0x0000, 0x0000, 0x0000, 0x0131, 0x0000, 0x0000, 0x0142, 0x00F8, 0x0153, 0x00DF, 0x0000, 0x0000, 0x0000, 0x0000,
    ]

    /// MacRomanEncoding.
    static let macRoman: [UInt16] = [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
        0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
        0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, 0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
        0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
        0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
        0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x0000,
        0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
        0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3, 0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
        0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
        0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x2126, 0x00E6, 0x00F8,
        0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB, 0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
        0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x00A4, 0x2039, 0x203A, 0xFB01, 0xFB02,
        0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
        0x0000, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
    ]

    /// WinAnsiEncoding (Windows code page 1252; its undefined codes show a bullet, as readers do).
    static let winAnsi: [UInt16] = [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
        0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
        0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, 0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
        0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
        0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
        0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x2022,
        0x20AC, 0x2022, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x2022, 0x017D, 0x2022,
        0x2022, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x2022, 0x017E, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
        0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
        0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
    ]

    /// Glyph name → Unicode scalar for `/Differences`; `uniXXXX`, `uXXXX` and ligature names are decoded in code.
    static let glyphNames: [String: UInt32] = {
        var table: [String: UInt32] = [:]
        for line in glyphList.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = UInt32(parts[1], radix: 16) { table[String(parts[0])] = value }
        }
        return table
    }()

    private static let glyphList = """
        A 0041
        AE 00C6
        AEacute 01FC
        Aacute 00C1
        Abreve 0102
        Acircumflex 00C2
        Adieresis 00C4
        Agrave 00C0
        Alpha 0391
        Alphatonos 0386
        Amacron 0100
        Aogonek 0104
        Aring 00C5
        Aringacute 01FA
        Atilde 00C3
        B 0042
        Beta 0392
        C 0043
        Cacute 0106
        Ccaron 010C
        Ccedilla 00C7
        Ccircumflex 0108
        Cdotaccent 010A
        Chi 03A7
        D 0044
        Dcaron 010E
        Dcroat 0110
        Delta 2206
        E 0045
        Eacute 00C9
        Ebreve 0114
        Ecaron 011A
        Ecircumflex 00CA
        Edieresis 00CB
        Edotaccent 0116
        Egrave 00C8
        Emacron 0112
        Eng 014A
        Eogonek 0118
        Epsilon 0395
        Epsilontonos 0388
        Eta 0397
        Etatonos 0389
        Eth 00D0
        Euro 20AC
        F 0046
        G 0047
        Gamma 0393
        Gbreve 011E
        Gcaron 01E6
        Gcircumflex 011C
        Gdotaccent 0120
        H 0048
        H18533 25CF
        H18543 25AA
        H18551 25AB
        H22073 25A1
        Hbar 0126
        Hcircumflex 0124
        I 0049
        IJ 0132
        Iacute 00CD
        Ibreve 012C
        Icircumflex 00CE
        Idieresis 00CF
        Idotaccent 0130
        Ifraktur 2111
        Igrave 00CC
        Imacron 012A
        Iogonek 012E
        Iota 0399
        Iotadieresis 03AA
        Iotatonos 038A
        Itilde 0128
        J 004A
        Jcircumflex 0134
        K 004B
        Kappa 039A
        L 004C
        Lacute 0139
        Lambda 039B
        Lcaron 013D
        Ldot 013F
        Lslash 0141
        M 004D
        Mu 039C
        N 004E
        Nacute 0143
        Ncaron 0147
        Ntilde 00D1
        Nu 039D
        O 004F
        OE 0152
        Oacute 00D3
        Obreve 014E
        Ocircumflex 00D4
        Odieresis 00D6
        Ograve 00D2
        Ohorn 01A0
        Ohungarumlaut 0150
        Omacron 014C
        Omega 2126
        Omegatonos 038F
        Omicron 039F
        Omicrontonos 038C
        Oslash 00D8
        Oslashacute 01FE
        Otilde 00D5
        P 0050
        Phi 03A6
        Pi 03A0
        Psi 03A8
        Q 0051
        R 0052
        Racute 0154
        Rcaron 0158
        Rfraktur 211C
        Rho 03A1
        S 0053
        SF010000 250C
        SF020000 2514
        SF030000 2510
        SF040000 2518
        SF050000 253C
        SF060000 252C
        SF070000 2534
        SF080000 251C
        SF090000 2524
        SF100000 2500
        SF110000 2502
        SF190000 2561
        SF200000 2562
        SF210000 2556
        SF220000 2555
        SF230000 2563
        SF240000 2551
        SF250000 2557
        SF260000 255D
        SF270000 255C
        SF280000 255B
        SF360000 255E
        SF370000 255F
        SF380000 255A
        SF390000 2554
        SF400000 2569
        SF410000 2566
        SF420000 2560
        SF430000 2550
        SF440000 256C
        SF450000 2567
        SF460000 2568
        SF470000 2564
        SF480000 2565
        SF490000 2559
        SF500000 2558
        SF510000 2552
        SF520000 2553
        SF530000 256B
        SF540000 256A
        Sacute 015A
        Scaron 0160
        Scedilla 015E
        Scircumflex 015C
        Sigma 03A3
        T 0054
        Tau 03A4
        Tbar 0166
        Tcaron 0164
        Tcommaaccent 0162
        Theta 0398
        Thorn 00DE
        U 0055
        Uacute 00DA
        Ubreve 016C
        Ucircumflex 00DB
        Udieresis 00DC
        Ugrave 00D9
        Uhorn 01AF
        Uhungarumlaut 0170
        Umacron 016A
        Uogonek 0172
        Upsilon 03A5
        Upsilon1 03D2
        Upsilondieresis 03AB
        Upsilontonos 038E
        Uring 016E
        Utilde 0168
        V 0056
        W 0057
        Wacute 1E82
        Wcircumflex 0174
        Wdieresis 1E84
        Wgrave 1E80
        X 0058
        Xi 039E
        Y 0059
        Yacute 00DD
        Ycircumflex 0176
        Ydieresis 0178
        Ygrave 1EF2
        Z 005A
        Zacute 0179
        Zcaron 017D
        Zdotaccent 017B
        Zeta 0396
        a 0061
        aacute 00E1
        abreve 0103
        acircumflex 00E2
        acute 00B4
        acutecomb 0301
        adieresis 00E4
        ae 00E6
        aeacute 01FD
        agrave 00E0
        aleph 2135
        alpha 03B1
        alphatonos 03AC
        amacron 0101
        ampersand 0026
        angle 2220
        angleleft 2329
        angleright 232A
        anoteleia 0387
        aogonek 0105
        apple F8FF
        approxequal 2248
        aring 00E5
        aringacute 01FB
        arrowboth 2194
        arrowdblboth 21D4
        arrowdbldown 21D3
        arrowdblleft 21D0
        arrowdblright 21D2
        arrowdblup 21D1
        arrowdown 2193
        arrowleft 2190
        arrowright 2192
        arrowup 2191
        arrowupdn 2195
        arrowupdnbse 21A8
        asciicircum 005E
        asciitilde 007E
        asterisk 002A
        asteriskmath 2217
        at 0040
        atilde 00E3
        b 0062
        backslash 005C
        bar 007C
        beta 03B2
        block 2588
        braceleft 007B
        braceright 007D
        bracketleft 005B
        bracketright 005D
        breve 02D8
        brokenbar 00A6
        bullet 2022
        c 0063
        cacute 0107
        caron 02C7
        carriagereturn 21B5
        ccaron 010D
        ccedilla 00E7
        ccircumflex 0109
        cdotaccent 010B
        cedilla 00B8
        cent 00A2
        chi 03C7
        circle 25CB
        circlemultiply 2297
        circleplus 2295
        circumflex 02C6
        club 2663
        colon 003A
        colonmonetary 20A1
        comma 002C
        congruent 2245
        copyright 00A9
        currency 00A4
        d 0064
        dagger 2020
        daggerdbl 2021
        dcaron 010F
        dcroat 0111
        degree 00B0
        delta 03B4
        diamond 2666
        dieresis 00A8
        dieresistonos 0385
        divide 00F7
        dkshade 2593
        dnblock 2584
        dollar 0024
        dong 20AB
        dotaccent 02D9
        dotbelowcomb 0323
        dotlessi 0131
        dotlessj F6BE
        dotmath 22C5
        e 0065
        eacute 00E9
        ebreve 0115
        ecaron 011B
        ecircumflex 00EA
        edieresis 00EB
        edotaccent 0117
        egrave 00E8
        eight 0038
        element 2208
        ellipsis 2026
        emacron 0113
        emdash 2014
        emptyset 2205
        endash 2013
        eng 014B
        eogonek 0119
        epsilon 03B5
        epsilontonos 03AD
        equal 003D
        equivalence 2261
        estimated 212E
        eta 03B7
        etatonos 03AE
        eth 00F0
        exclam 0021
        exclamdbl 203C
        exclamdown 00A1
        existential 2203
        f 0066
        female 2640
        ff FB00
        ffi FB03
        ffl FB04
        fi FB01
        figuredash 2012
        filledbox 25A0
        filledrect 25AC
        five 0035
        fiveeighths 215D
        fl FB02
        florin 0192
        four 0034
        fraction 2044
        franc 20A3
        g 0067
        gamma 03B3
        gbreve 011F
        gcaron 01E7
        gcircumflex 011D
        gdotaccent 0121
        germandbls 00DF
        gradient 2207
        grave 0060
        gravecomb 0300
        greater 003E
        greaterequal 2265
        guillemotleft 00AB
        guillemotright 00BB
        guilsinglleft 2039
        guilsinglright 203A
        h 0068
        hbar 0127
        hcircumflex 0125
        heart 2665
        hookabovecomb 0309
        house 2302
        hungarumlaut 02DD
        hyphen 002D
        i 0069
        iacute 00ED
        ibreve 012D
        icircumflex 00EE
        idieresis 00EF
        igrave 00EC
        ij 0133
        imacron 012B
        infinity 221E
        integral 222B
        integralbt 2321
        integraltp 2320
        intersection 2229
        invbullet 25D8
        invcircle 25D9
        invsmileface 263B
        iogonek 012F
        iota 03B9
        iotadieresis 03CA
        iotadieresistonos 0390
        iotatonos 03AF
        itilde 0129
        j 006A
        jcircumflex 0135
        k 006B
        kappa 03BA
        kgreenlandic 0138
        l 006C
        lacute 013A
        lambda 03BB
        lcaron 013E
        ldot 0140
        less 003C
        lessequal 2264
        lfblock 258C
        lira 20A4
        logicaland 2227
        logicalnot 00AC
        logicalor 2228
        longs 017F
        lozenge 25CA
        lslash 0142
        ltshade 2591
        m 006D
        macron 00AF
        male 2642
        middot 00B7
        minus 2212
        minute 2032
        mu 00B5
        multiply 00D7
        musicalnote 266A
        musicalnotedbl 266B
        n 006E
        nacute 0144
        napostrophe 0149
        nbspace 00A0
        ncaron 0148
        nine 0039
        notelement 2209
        notequal 2260
        notsubset 2284
        ntilde 00F1
        nu 03BD
        numbersign 0023
        o 006F
        oacute 00F3
        obreve 014F
        ocircumflex 00F4
        odieresis 00F6
        oe 0153
        ogonek 02DB
        ograve 00F2
        ohorn 01A1
        ohungarumlaut 0151
        omacron 014D
        omega 03C9
        omega1 03D6
        omegatonos 03CE
        omicron 03BF
        omicrontonos 03CC
        one 0031
        onedotenleader 2024
        oneeighth 215B
        onehalf 00BD
        onequarter 00BC
        onesuperior 00B9
        onethird 2153
        openbullet 25E6
        ordfeminine 00AA
        ordmasculine 00BA
        orthogonal 221F
        oslash 00F8
        oslashacute 01FF
        otilde 00F5
        p 0070
        paragraph 00B6
        parenleft 0028
        parenright 0029
        partialdiff 2202
        percent 0025
        period 002E
        periodcentered 00B7
        perpendicular 22A5
        perthousand 2030
        peseta 20A7
        phi 03C6
        phi1 03D5
        pi 03C0
        plus 002B
        plusminus 00B1
        prescription 211E
        product 220F
        propersubset 2282
        propersuperset 2283
        proportional 221D
        psi 03C8
        q 0071
        question 003F
        questiondown 00BF
        quotedbl 0022
        quotedblbase 201E
        quotedblleft 201C
        quotedblright 201D
        quoteleft 2018
        quotereversed 201B
        quoteright 2019
        quotesinglbase 201A
        quotesingle 0027
        r 0072
        racute 0155
        radical 221A
        rcaron 0159
        reflexsubset 2286
        reflexsuperset 2287
        registered 00AE
        revlogicalnot 2310
        rho 03C1
        ring 02DA
        rtblock 2590
        s 0073
        sacute 015B
        scaron 0161
        scedilla 015F
        scircumflex 015D
        second 2033
        section 00A7
        semicolon 003B
        seven 0037
        seveneighths 215E
        sfthyphen 00AD
        shade 2592
        sigma 03C3
        sigma1 03C2
        similar 223C
        six 0036
        slash 002F
        smileface 263A
        space 0020
        spade 2660
        sterling 00A3
        suchthat 220B
        summation 2211
        sun 263C
        t 0074
        tau 03C4
        tbar 0167
        tcaron 0165
        tcommaaccent 0163
        therefore 2234
        theta 03B8
        theta1 03D1
        thorn 00FE
        three 0033
        threeeighths 215C
        threequarters 00BE
        threesuperior 00B3
        tilde 02DC
        tildecomb 0303
        tonos 0384
        trademark 2122
        triagdn 25BC
        triaglf 25C4
        triagrt 25BA
        triagup 25B2
        two 0032
        twodotenleader 2025
        twosuperior 00B2
        twothirds 2154
        u 0075
        uacute 00FA
        ubreve 016D
        ucircumflex 00FB
        udieresis 00FC
        ugrave 00F9
        uhorn 01B0
        uhungarumlaut 0171
        umacron 016B
        underscore 005F
        underscoredbl 2017
        union 222A
        universal 2200
        uogonek 0173
        upblock 2580
        upsilon 03C5
        upsilondieresis 03CB
        upsilondieresistonos 03B0
        upsilontonos 03CD
        uring 016F
        utilde 0169
        v 0076
        w 0077
        wacute 1E83
        wcircumflex 0175
        wdieresis 1E85
        weierstrass 2118
        wgrave 1E81
        x 0078
        xi 03BE
        y 0079
        yacute 00FD
        ycircumflex 0177
        ydieresis 00FF
        yen 00A5
        ygrave 1EF3
        z 007A
        zacute 017A
        zcaron 017E
        zdotaccent 017C
        zero 0030
        zeta 03B6
        """
}
