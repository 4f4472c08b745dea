import { describe, expect, test } from 'vitest';
import { bandBar, bandPosition, scaleEnd } from './chart';
import { addressHasPassword, repNamer } from './team';
import { samples } from './contract-samples';

describe('a value against a published band', () => {
  const talk = [0.43, 0.57] as const;
  const questions = [11, 14] as const;

  test('both ends are inside the band', () => {
    expect(bandPosition(0.43, talk)).toBe('within');
    expect(bandPosition(0.57, talk)).toBe('within');
    expect(bandPosition(0.5, talk)).toBe('within');
    expect(bandPosition(0.42, talk)).toBe('below');
    expect(bandPosition(0.58, talk)).toBe('above');
    expect(bandPosition(10.9, questions)).toBe('below');
    expect(bandPosition(14.2, questions)).toBe('above');
  });

  test('compared at the precision it is shown with', () => {
    // Shown as "57 %" and "43 %": not outside a 43–57 % band.
    expect(bandPosition(0.5749, talk, 0.01)).toBe('within');
    expect(bandPosition(0.4251, talk, 0.01)).toBe('within');
    // Shown as "58 %".
    expect(bandPosition(0.5751, talk, 0.01)).toBe('above');
    expect(bandPosition(0.5751, talk)).toBe('above');
    // 14.04 shows as "14.0"; 14.06 as "14.1".
    expect(bandPosition(14.04, questions, 0.1)).toBe('within');
    expect(bandPosition(14.06, questions, 0.1)).toBe('above');
    expect(bandPosition(10.94, questions, 0.1)).toBe('below');
  });

  test('bar geometry in percent of the scale', () => {
    expect(bandBar(0.61, talk, 1)).toEqual({ bandStart: 43, bandWidth: 14, value: 61 });
    expect(bandBar(8.5, questions, 20)).toEqual({ bandStart: 55, bandWidth: 15, value: 42.5 });
    expect(bandBar(1, questions, 3).value).toBe(33.33);
  });

  test('bars stay on the scale', () => {
    expect(bandBar(1.4, talk, 1).value).toBe(100);
    expect(bandBar(-0.2, talk, 1).value).toBe(0);
    expect(bandBar(3, questions, 0).value).toBe(100);
  });

  test('the questions scale has room for the band and the largest value', () => {
    expect(scaleEnd([8.5, null, 12.25], questions)).toBe(20);
    expect(scaleEnd([31], questions)).toBe(40);
    expect(scaleEnd([], questions)).toBe(20);
    expect(scaleEnd([null, Number.NaN], [0, 0.5], 1)).toBe(1);
  });
});

describe('team names and addresses', () => {
  test('hits and shared calls name reps by login; the overview gives their names', () => {
    const nameOf = repNamer(samples.teamOverview().reps);
    expect(nameOf('priya')).toBe('Priya Nair');
    expect(nameOf('ana')).toBe('Ana Petrović');
    expect(nameOf('someone_removed')).toBe('someone_removed');
    expect(repNamer([])('priya')).toBe('priya');
  });

  test('an address with a password is told apart from one without', () => {
    expect(addressHasPassword('postgres://priya@team.example.com/sales')).toBe(false);
    expect(addressHasPassword('postgresql://priya:s3cret@team.example.com/sales')).toBe(true);
    expect(addressHasPassword('postgres://priya@team.example.com:5432/sales')).toBe(false);
    expect(addressHasPassword('host=team.example.com user=priya password=s3cret dbname=sales')).toBe(true);
    expect(addressHasPassword('host=team.example.com user=priya dbname=sales')).toBe(false);
    expect(addressHasPassword('postgres://priya@team.example.com/sales?password=s3cret')).toBe(true);
  });
});
